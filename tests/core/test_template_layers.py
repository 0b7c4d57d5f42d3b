"""Templates look down too: a template of a lower app never `{% load %}`s a tag library of a higher app
(or of a sibling in its layer). import-linter cannot see a template's load; this walks them with the same
layer order (`.importlinter`). A higher app that shows something on a lower app's page registers a part
(core/page_parts.py) instead."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "waakvlam"
LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")


def _layer_of() -> dict[str, int]:
    """App -> its layer's index, 0 for the highest."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    layers = [line.strip() for line in config["importlinter:contract:layers"]["layers"].splitlines() if line.strip()]
    return {app.strip(): index for index, layer in enumerate(layers) for app in layer.split("|")}


def _library_owner() -> dict[str, str]:
    return {path.stem: path.parent.parent.name for path in APPS.glob("*/templatetags/*.py") if path.stem != "__init__"}


def _loads(template: Path) -> list[str]:
    names: list[str] = []
    for match in LOAD.finditer(template.read_text(encoding="utf-8")):
        words = match.group(1).split()
        names += words[words.index("from") + 1 :] if "from" in words else words
    return names


def upward_loads() -> list[str]:
    layer, owner = _layer_of(), _library_owner()
    found = []
    for template in sorted(APPS.glob("*/templates/**/*.html")):
        app = template.relative_to(APPS).parts[0]
        for library in _loads(template):
            lib_app = owner.get(library)
            if lib_app is None or lib_app == app:
                continue  # Django's own libraries, or the app's own
            if layer[lib_app] <= layer[app]:
                found.append(f"{template.relative_to(ROOT)} loads {library} ({lib_app}, not below {app})")
    return found


def test_no_template_loads_a_tag_library_of_an_app_above_it() -> None:
    assert not upward_loads(), "register a page part (core/page_parts.py) instead:\n" + "\n".join(upward_loads())


def test_the_walk_sees_the_templates_and_their_libraries() -> None:
    layer, owner = _layer_of(), _library_owner()
    assert {"socialmap", "contact", "routing", "core"} <= set(owner.values())
    assert set(owner.values()) <= set(layer), "every library's app has a layer"
    assert layer["core"] > layer["intake"] > layer["routing"] > layer["contact"] > layer["socialmap"]
    assert layer["handover"] == layer["socialmap"], "one layer, siblings"
    loads = {lib for t in APPS.glob("*/templates/**/*.html") for lib in _loads(t)}
    assert {"i18n", "page_parts", "pilot_light", "socialmap"} <= loads
