"""ADR 0009: an "already exists" answer about something the caller may not see is the same whether or not it
exists. In the bulk import's report: an `external_id` another organisation already used is reported as if it
were new; the organisation's own is reported as a duplicate. (The API's part is in
tests/intake/test_no_existence_oracle.py.)"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.utils import timezone

from waakvlam.bulkimport.bulk_import import signals_import
from waakvlam.core.models import Neighbourhood, Organisation
from waakvlam.intake.models import Signal
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.services import Actor
from waakvlam.routing.services import routing_rules_seed_demo

pytestmark = pytest.mark.django_db

HEADER = "external_id;signal_date;source_kind;postcode;house_number;arrears_amount;arrears_months;surname;initials;birth_date;phone;email;note"


def _import(organisation: Organisation, tmp_path: Path, name: str, content: str) -> list[list[str]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = io.StringIO()
    actor = Actor(username="signaleerder", role="signaller", organisation=organisation.slug)
    result = signals_import(path=path, organisation=organisation, actor=actor, run_id=name, report=report)
    report.seek(0)
    return list(csv.reader(report, delimiter=result.delimiter))


def test_the_import_report_does_not_tell_another_organisations_external_ids(
    areas: dict[str, Neighbourhood], tmp_path: Path
) -> None:
    routing_rules_seed_demo(areas["BU99990100"].municipality)
    woonstede = Organisation.objects.get(slug="woonstede")
    signal_create(
        data=SignalInput(category="payment_arrears", address=AddressInput("9901AB", "1"), external_id="IMP-1"),
        reporter=Reporter(organisation=Organisation.objects.get(slug="politie")),
        now=timezone.now(),
    )
    used_elsewhere = _import(woonstede, tmp_path, "a.csv", f"{HEADER}\nIMP-1;2026-10-01;housing;9901AB;1;;;;;;;;\n")
    unused = _import(woonstede, tmp_path, "b.csv", f"{HEADER}\nIMP-2;2026-10-01;housing;9901AB;1;;;;;;;;\n")
    assert used_elsewhere == unused  # the report lists only problems: none for either row
    assert Signal.objects.filter(external_id="IMP-1", reporter_organisation=woonstede).count() == 1
    # The organisation's own earlier signal is reported as a duplicate.
    again = _import(woonstede, tmp_path, "c.csv", f"{HEADER}\nIMP-2;2026-10-01;housing;9901AB;1;;;;;;;;\n")
    assert any("IMP-2" in row for row in again[1:])
