"""The bulk CSV import as a service: messy real-world files, refusals, duplicates, routing, encryption and
the access log. (The command line: test_import_cli.py; the upload page: test_import_views.py; a killed
import: test_import_kill.py.)"""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.factories import user
from waakvlam.bulkimport.bulk_import import ImportRefused, ImportResult, import_precheck, signals_import
from waakvlam.bulkimport.import_rows import debtor_index, parse_amount, parse_date
from waakvlam.bulkimport.import_write import signal_columns_complete, tracking_codes
from waakvlam.core.models import Address, Neighbourhood, Organisation
from waakvlam.households.models import Household
from waakvlam.intake.freetext import warm_up
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.intake.services import TRACKING_ALPHABET, AddressInput, Reporter, SignalInput, signal_create
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_record, access_log_verify
from waakvlam.routing.services import routing_rules_seed_demo

pytestmark = pytest.mark.django_db

HEADER = "external_id;signal_date;source_kind;postcode;house_number;arrears_amount;arrears_months;surname;initials;birth_date;phone;email;note"
ACTOR = Actor(username="signaleerder", role="signaller", organisation="woonstede")


@pytest.fixture
def woonstede(areas: dict[str, Neighbourhood]) -> Organisation:
    routing_rules_seed_demo(areas["BU99990100"].municipality)
    return Organisation.objects.select_related("municipality").get(slug="woonstede")


@pytest.fixture
def run(woonstede: Organisation, tmp_path: Path) -> Callable[..., tuple[ImportResult, list[list[str]]]]:
    """Write `content` (bytes or text) to a file, import it, return the result and the report's rows."""
    counter = iter(range(10_000))

    def _run(content: bytes | str, **options: object) -> tuple[ImportResult, list[list[str]]]:
        path = tmp_path / f"bestand-{next(counter)}.csv"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        report = io.StringIO()
        result = signals_import(
            path=path,
            organisation=woonstede,
            actor=ACTOR,
            run_id=path.name,
            report=report,
            **options,  # type: ignore[arg-type]
        )
        report.seek(0)
        delimiter = result.delimiter
        return result, list(csv.reader(report, delimiter=delimiter))

    return _run


def counts() -> tuple[int, int, int, int, int]:
    return (
        Signal.objects.count(),
        SignalEvent.objects.count(),
        AccessLogEntry.objects.count(),
        Address.objects.count(),
        Household.objects.count(),
    )


# --- messy files that are fine ----------------------------------------------------------------------------


def test_a_messy_real_world_file(run: Callable[..., tuple[ImportResult, list[list[str]]]]) -> None:
    """BOM, semicolons, CRLF, empty lines, a quoted note with a newline and a semicolon, comma decimals,
    thousands separators, a Dutch date, header names in another case, and a column we do not know."""
    content = (
        "\ufeffExternal ID;Signal_Date;source_kind;Postcode;house_number;arrears_amount;arrears_months;"
        "surname;initials;birth_date;phone;email;note;klantnummer\r\n"
        "W-1;2026-10-31;housing;9901 ab;12;412,50;2;Jansen;J.;1970-01-02;06-12345678;J.Jansen@Example.nl;"
        '"Huur twee maanden niet betaald;\r\nbrieven onbeantwoord";K991\r\n'
        "\r\n"
        "W-2;31-10-2026;energy;9921CD;3-a;1.234,56;;;;;;;;K992\r\n"
        ";;;;;;;;;;;;;\r\n"
        "W-3;2026-10-30;water;9902EF;60;99.95;1;;;;;;;\r\n"
    )
    result, report = run(content)
    assert (result.read, result.imported, result.duplicates, result.rejected) == (3, 3, 0, 0)
    assert result.delimiter == ";" and result.ignored_columns == ["klantnummer"]
    assert report == [["regel", "external_id", "kolom", "uitkomst", "reden"]]
    one, two, three = (Signal.objects.get(external_id=f"W-{i}") for i in (1, 2, 3))
    assert one.description == "Huur twee maanden niet betaald;\nbrieven onbeantwoord"
    assert (one.arrears_amount, one.arrears_months, one.source_kind) == (Decimal("412.50"), 2, "housing")
    assert one.category == "payment_arrears" and one.urgency == "normal"
    assert one.debtor == {
        "surname": "Jansen",
        "initials": "J.",
        "birth_date": "1970-01-02",
        "phone": "06-12345678",
        "email": "j.jansen@example.nl",
    }
    assert one.debtor_index == debtor_index("Jansen", "1970-01-02")
    assert two.arrears_amount == Decimal("1234.56") and two.debtor == {} and two.debtor_index == ""
    assert two.address is not None and two.address.key == "9921CD|3|A|"
    assert timezone.localtime(two.observed_at).date().isoformat() == "2026-10-31"
    assert three.neighbourhood is not None and three.neighbourhood.code == "BU99990200"  # 9902EF 50+ → Molenwijk
    assert {s.household_id for s in (one, two, three)} == {s.household.pk for s in (one, two, three) if s.household}


def test_a_comma_separated_file_with_quoted_comma_decimals(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    content = 'external_id,signal_date,source_kind,postcode,house_number,arrears_amount\nC-1,2026-10-01,other,9901AB,1,"12,50"\n'
    result, _ = run(content)
    assert (result.delimiter, result.imported) == (",", 1)
    assert Signal.objects.get(external_id="C-1").arrears_amount == Decimal("12.50")


def test_bad_rows_are_reported_per_row_and_never_stop_the_good_ones(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    content = "\n".join(
        [
            HEADER,
            "B-1;2026-10-01;housing;9901AB;1;;;;;;;;",
            'B-2;2026-13-01;housing;9901AB;2;;;;;;;;"een\nnotitie over twee regels"',
            "B-3;2026-10-01;bank;123;2;abc;x;;;1890-01-01;bel me;geen-mail;",
            "B-4;2026-10-01;housing;9901AB;4;;;;;;;;",
            ";2026-10-01;housing;9901AB;5;;;;;;;;",
            "B-6;2999-01-01;housing;9901AB;6;1.234;;;;;;;",
        ]
    )
    result, report = run(content)
    assert (result.read, result.imported, result.rejected) == (6, 2, 4)
    problems = {(int(r[0]), r[2]) for r in report[1:]}
    assert (3, "signal_date") in problems  # the line numbers are the file's (B-2 starts on line 3)
    assert {
        (5, c) for c in ("source_kind", "postcode", "arrears_amount", "arrears_months", "birth_date", "phone", "email")
    } <= problems
    assert (7, "external_id") in problems  # B-4 is on line 6: the quoted note took two lines
    assert (8, "signal_date") in problems and (8, "arrears_amount") in problems  # future date; 1.234 is ambiguous
    assert all(r[3] == "afgewezen" and r[4] for r in report[1:])
    assert set(Signal.objects.values_list("external_id", flat=True)) == {"B-1", "B-4"}


def test_an_unquoted_comma_in_a_comma_file_is_explained(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    result, report = run(
        "external_id,signal_date,source_kind,postcode,house_number,arrears_amount\nX,2026-10-01,other,9901AB,1,12,50\n"
    )
    assert result.rejected == 1
    assert "aanhalingstekens" in report[1][4]


def test_a_note_with_personal_data_is_masked_for_others(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    run(f"{HEADER}\nN-1;2026-10-01;housing;9901AB;1;;;;;;;;Bel buurvrouw op 06-12345678 als hij niet opendoet.\n")
    signal = Signal.objects.get(external_id="N-1")
    assert "phone" in signal.privacy_flags
    assert "06-12345678" in signal.description and "06-12345678" not in signal.description_masked


def test_an_address_outside_the_postcode_table_is_created_and_routed(
    run: Callable[..., tuple[ImportResult, list[list[str]]]], woonstede: Organisation
) -> None:
    run(f"{HEADER}\nO-1;2026-10-01;housing;1234AB;5;;;;;;;;\n")
    signal = Signal.objects.get(external_id="O-1")
    assert signal.address is not None and signal.address.municipality_id == woonstede.municipality_id
    assert signal.neighbourhood is None and signal.household is not None
    assert signal.owner_team.name == "Vroegsignalering"  # payment arrears go there wherever they are


# --- whole files that are refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"external_id;signal_date;source_kind;postcode\nX;2026-10-01;housing;9901AB\n", "house_number"),
        (f"{HEADER}\nL-1;2026-10-01;housing;9901AB;1;;;Müller;;;;;\n".encode("latin-1"), "geen UTF-8"),
        ("\ufeff".encode("utf-16") + f"{HEADER}\n".encode("utf-16-le"), "UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00binary xlsx", "geen CSV"),
        (b"Dit is een brief aan de gemeente.\nMet vriendelijke groet.\n", "geen CSV-bestand met signalen"),
        (b"", "leeg"),
        (b"external_id;external_id;signal_date;source_kind;postcode;house_number\n", "twee keer"),
    ],
    ids=["missing-column", "latin-1", "utf-16", "xlsx", "a-letter", "empty", "double-column"],
)
def test_a_file_that_cannot_be_imported_is_refused_as_a_whole(
    run: Callable[..., tuple[ImportResult, list[list[str]]]], content: bytes, says: str
) -> None:
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        run(content)
    assert says in refused.value.message
    assert counts() == before


def test_not_utf8_late_in_the_file_is_refused_before_anything_is_written(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    good = "".join(f"G-{i};2026-10-01;housing;9901AB;{i % 90 + 1};;;;;;;;\n" for i in range(3000))
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        run((f"{HEADER}\n{good}").encode() + "G-x;2026-10-01;housing;9901AB;1;;;Zoë;;;;;\n".encode("cp1252"))
    assert "regel 3002" in refused.value.message
    assert counts() == before


def test_a_huge_file_is_refused_early_without_reading_it(tmp_path: Path, woonstede: Organisation) -> None:
    path = tmp_path / "twee-gigabyte.csv"
    with path.open("wb") as stream:  # sparse: 2 GiB on paper, nothing on disk
        stream.write(f"{HEADER}\n".encode())
        stream.truncate(2 << 30)
    with pytest.raises(ImportRefused) as refused:
        signals_import(path=path, organisation=woonstede, actor=ACTOR, run_id="big", max_bytes=1 << 30)
    assert "2.048 MB" in refused.value.message and "1.024 MB" in refused.value.message


def test_a_large_file_is_streamed_in_bounded_memory(tmp_path: Path, woonstede: Organisation) -> None:
    """200,000 rows (19 MB) checked in a dry run, and 10,000 imported for real: Python's peak allocation
    stays a few megabytes either way, so it does not grow with the file (tracemalloc makes this slow, so
    the bench's million-row import measures the same from the outside: bench/results/import.json)."""
    line = "M-{i};2026-10-01;housing;9901AB;{n};412,50;2;Jansen;J.;1970-01-02;06-12345678;;Huurachterstand\n"
    big = tmp_path / "groot.csv"
    with big.open("w", encoding="utf-8") as stream:
        stream.write(HEADER + "\n")
        for i in range(200_000):
            stream.write(line.format(i=i, n=i % 90 + 1))
    assert big.stat().st_size > 18 << 20
    warm_up()  # deduce's word lists: loaded once per process, not part of the import's own memory
    tracemalloc.start()
    try:
        result = signals_import(path=big, organisation=woonstede, actor=ACTOR, run_id="dry", dry_run=True)
        _, dry_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        small = tmp_path / "klein.csv"
        with big.open(encoding="utf-8") as source, small.open("w", encoding="utf-8") as target:
            for number, text in enumerate(source):
                if number > 10_000:
                    break
                target.write(text)
        written = signals_import(path=small, organisation=woonstede, actor=ACTOR, run_id="real")
        _, real_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.read == 200_000 and result.imported == 200_000
    assert written.imported == 10_000
    print(f"tracemalloc peaks: dry run {dry_peak >> 20} MB, import {real_peak >> 20} MB")
    assert dry_peak < 30 << 20, f"dry run peaked at {dry_peak >> 20} MB"
    assert real_peak < 30 << 20, f"import peaked at {real_peak >> 20} MB"


# --- running it again ----------------------------------------------------------------------------------------


def test_importing_the_same_file_again_creates_nothing(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    content = HEADER + "\n" + "".join(f"R-{i};2026-10-01;housing;9901AB;{i + 1};;;;;;;;\n" for i in range(25))
    first, _ = run(content, batch_size=10)
    after_first = counts()
    again, report = run(content, batch_size=10)
    assert (first.imported, again.imported, again.duplicates) == (25, 0, 25)
    assert counts() == after_first
    assert {r[3] for r in report[1:]} == {"dubbel"} and len(report) == 26


def test_a_repeated_external_id_within_the_file_is_a_duplicate(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    content = f"{HEADER}\nD-1;2026-10-01;housing;9901AB;1;;;;;;;;\nD-1;2026-10-02;housing;9901AB;2;;;;;;;;\n"
    result, report = run(content)
    assert (result.imported, result.duplicates) == (1, 1)
    assert report[1][:4] == ["3", "D-1", "external_id", "dubbel"]


def test_a_signal_already_sent_through_the_api_is_a_duplicate(
    run: Callable[..., tuple[ImportResult, list[list[str]]]], woonstede: Organisation
) -> None:
    signal_create(
        data=SignalInput(category="payment_arrears", address=AddressInput("9901AB", "1"), external_id="API-1"),
        reporter=Reporter(organisation=woonstede),
        now=timezone.now(),
    )
    result, _ = run(f"{HEADER}\nAPI-1;2026-10-01;housing;9901AB;1;;;;;;;;\n")
    assert (result.imported, result.duplicates) == (0, 1)


def test_a_dry_run_writes_nothing_and_counts_the_same(run: Callable[..., tuple[ImportResult, list[list[str]]]]) -> None:
    content = HEADER + "\n" + "".join(f"Y-{i};2026-10-01;housing;9901AB;{i + 1};;;;;;;;\n" for i in range(5))
    content += "Y-0;2026-10-01;housing;9901AB;1;;;;;;;;\nY-bad;2026-10-01;housing;0000AA;1;;;;;;;;\n"
    before = counts()
    dry, dry_report = run(content, dry_run=True, batch_size=2)
    assert counts() == before
    real, real_report = run(content, batch_size=2)
    assert (
        (dry.read, dry.imported, dry.duplicates, dry.rejected)
        == (real.read, real.imported, real.duplicates, real.rejected)
        == (7, 5, 1, 1)
    )
    assert dry_report == real_report


# --- what an imported signal is ------------------------------------------------------------------------------


def test_imported_signals_are_routed_as_api_signals_are(
    run: Callable[..., tuple[ImportResult, list[list[str]]]], woonstede: Organisation
) -> None:
    run(f"{HEADER}\nT-1;2026-10-01;housing;9921CD;1;;;;;;;;\n")
    run("external_id;signal_date;source_kind;postcode;house_number;category\nT-2;2026-10-01;housing;9921CD;1;neglect\n")
    for external_id, category in (("T-1", "payment_arrears"), ("T-2", "neglect")):
        imported = Signal.objects.get(external_id=external_id)
        api = signal_create(
            data=SignalInput(category=category, address=AddressInput("9921CD", "1")),
            reporter=Reporter(organisation=woonstede),
            now=imported.received_at,
        )
        assert (imported.owner_team_id, imported.owner_user_id, imported.due_at) == (
            api.owner_team_id,
            api.owner_user_id,
            api.due_at,
        )
        assert imported.household_id == api.household_id and imported.neighbourhood_id == api.neighbourhood_id
        assert list(imported.events.values_list("kind", flat=True)) == ["received", "assigned"]


def test_contact_details_are_encrypted_at_rest_and_shown_to_the_owner(
    run: Callable[..., tuple[ImportResult, list[list[str]]]], login: Callable[[str], Client]
) -> None:
    run(f"{HEADER}\nE-1;2026-10-01;housing;9901AB;1;10;1;Van der Berg;P.;1961-05-04;0201234567;pb@example.nl;\n")
    signal = Signal.objects.get(external_id="E-1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT debtor_details FROM intake_signal WHERE id = %s", [signal.pk])
        stored = cursor.fetchone()[0]
    assert "Berg" not in stored and "1961" not in stored and "pb@" not in stored
    assert signal.owner_team.name == "Vroegsignalering"
    page = login("budgetcoach").get(f"/signalen/{signal.pk}/").content.decode()
    assert "Van der Berg" in page and "pb@example.nl" in page and "10,00" in page
    assert login("waakvlammer").get(f"/signalen/{signal.pk}/").status_code == 404


def test_one_access_log_entry_per_signal_and_the_chain_holds(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    access_log_record(actor=ACTOR, action="view", object_type="test", context="before")
    content = HEADER + "\n" + "".join(f"A-{i};2026-10-01;housing;9901AB;{i + 1};;;;;;;;\n" for i in range(7))
    run(content, batch_size=3)
    access_log_record(actor=ACTOR, action="view", object_type="test", context="after")
    entries = AccessLogEntry.objects.filter(object_type="intake.signal", action="create")
    assert entries.count() == 7
    assert set(entries.values_list("object_id", flat=True)) == {
        str(pk) for pk in Signal.objects.values_list("pk", flat=True)
    }
    signal = Signal.objects.get(external_id="A-0")
    entry = entries.get(object_id=str(signal.pk))
    assert (entry.username, entry.organisation, entry.subject, entry.municipality_code) == (
        "signaleerder",
        "woonstede",
        f"address:{signal.address_id}",
        "GM9999",
    )
    assert list(access_log_verify()) == []


def test_one_notification_per_owning_team_per_import(run: Callable[..., tuple[ImportResult, list[list[str]]]]) -> None:
    content = HEADER + "\n" + "".join(f"Q-{i};2026-10-01;housing;9901AB;{i + 1};;;;;;;;\n" for i in range(9))
    run(content, batch_size=2)
    notes = Notification.objects.filter(kind="signal_new", recipient=user("budgetcoach"), channel="in_app")
    assert notes.count() == 1
    assert "Woonstede" in notes.get().subject


def test_the_import_leaves_no_required_signal_column_unset() -> None:
    assert signal_columns_complete() == []


# --- the small parts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("412.50", "412.50"),
        ("412,50", "412.50"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("€ 12", "12"),
        ("0", "0"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.234", "12,345", "-5", "1e5", "NaN", "12,5,0", "abc", ""])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_dates() -> None:
    assert parse_date("2026-10-31") == parse_date("31-10-2026") == parse_date("31/10/2026")
    for bad in ("2026-02-30", "31-10-26", "20261031", "morgen"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_tracking_codes_are_distinct_and_from_the_alphabet() -> None:
    codes = tracking_codes(5000)
    assert len(set(codes)) == 5000
    assert all(len(c) == 10 and set(c) <= set(TRACKING_ALPHABET) for c in codes)


def test_precheck_counts_lines_and_sniffs(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"external_id,signal_date,source_kind,postcode,house_number\r\na,b,c,d,e\r\nf,g,h,i,j")
    pre = import_precheck(path)
    assert (pre.lines, pre.delimiter) == (3, ",")


def test_the_import_report_neutralises_spreadsheet_formulas(
    run: Callable[..., tuple[ImportResult, list[list[str]]]],
) -> None:
    # External ids a hostile file could carry: each is rejected (bad date) and so echoed in the report.
    ids = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
    content = "\n".join([HEADER, *[f"{i};2026-13-01;housing;9901AB;{n};;;;;;;;" for n, i in enumerate(ids, 1)]])
    _, report = run(content)
    cells = [cell for row in report[1:] for cell in row]
    assert {f"'{i}" for i in ids} <= set(cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
