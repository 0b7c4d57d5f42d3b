"""The official HSDS 3.0 schemas as a test oracle, read from WAAKVLAM_HSDS_SCHEMAS (default
../shared/standards/hsds-3.0 beside the repository). Where the folder is absent, tests that compare with it
are skipped, saying so."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[2]
COMPILED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"
SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI = "urn:hsds:openapi"


def schema_dir() -> Path:
    folder = Path(os.environ.get("WAAKVLAM_HSDS_SCHEMAS", REPO.parent / "shared" / "standards" / "hsds-3.0"))
    if not (folder / "openapi.json").is_file():
        pytest.skip(
            f"the official HSDS 3.0 schemas are not at {folder} (set WAAKVLAM_HSDS_SCHEMAS): comparison skipped"
        )
    return folder


def _load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


@cache
def registry(folder: Path) -> Registry:  # type: ignore[type-arg]
    def resource(contents: Any) -> Resource:  # type: ignore[type-arg]
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    service = _load(folder, "service.json")
    sal = _load(folder, "service_at_location.json")
    term = service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    pairs = {
        OPENAPI: _load(folder, "openapi.json"),
        COMPILED + "service.json": service,
        COMPILED + "organization.json": _load(folder, "organization.json"),
        COMPILED + "service_at_location.json": sal,
        COMPILED + "service_list.json": _load(folder, "service_list.json"),
        COMPILED + "organization_list.json": _load(folder, "organization_list.json"),
        # Not in the folder as files of their own: the same definitions as compiled into service.json and
        # service_at_location.json (the list form's required fields are the full form's: only `id`).
        COMPILED + "service_at_location_list.json": sal,
        SCHEMA + "taxonomy_term.json": term,
        SCHEMA + "taxonomy.json": term["properties"]["taxonomy_detail"],
    }
    return Registry().with_resources((uri, resource(contents)) for uri, contents in pairs.items())


def validator_for(path: str) -> Draft202012Validator:
    """A validator for the 200 answer of `GET path` as the HSDS openapi.json declares it."""
    folder = schema_dir()
    pointer = path.replace("~", "~0").replace("/", "~1")
    ref = f"{OPENAPI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"
    return Draft202012Validator(
        {"$ref": ref}, registry=registry(folder), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def compiled_validator(name: str) -> Draft202012Validator:
    folder = schema_dir()
    return Draft202012Validator(
        {"$ref": COMPILED + name}, registry=registry(folder), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(validator: Draft202012Validator, document: Any) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def example(name: str) -> Any:
    return _load(schema_dir() / "examples", name)
