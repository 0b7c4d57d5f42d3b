"""No one recognisable: no count of 1 to 4 anywhere, and no suppressed cell follows from the others."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from waakvlam.insight.selectors import ALL_COUNTS, BREAKDOWNS, COMPLEMENTS, Area, RawFigures, publish
from waakvlam.insight.suppression import Cell, Group, hidden, rate, secondary_suppress

HOODS = [Area(i, f"BU999901{i:02d}", f"Buurt {i}", "WK999901") for i in range(1, 6)]
MUNICIPALITY = Area(-1, "GM9999", "Demodorp")


def _counts_in(answer: dict[str, Any]) -> list[int | None]:
    values: list[int | None] = []
    for row in [*answer["neighbourhoods"], answer["municipality"]]:
        values += list(row["counts"].values())
        for key in BREAKDOWNS.values():
            values += list(row[key].values())
    return values


def _raw(per_hood: dict[int, dict[str, int]], categories: dict[int, dict[str, int]]) -> RawFigures:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for hood, values in per_hood.items():
        counts[hood].update(values)
    breakdowns: dict[str, dict[int, Counter[str]]] = {dim: defaultdict(Counter) for dim in BREAKDOWNS}
    for hood, values in categories.items():
        breakdowns["category"][hood].update(values)
    return RawFigures(counts, breakdowns, defaultdict(Counter))


def _derivable(answer: dict[str, Any], raw: RawFigures) -> list[str]:
    """Play the attacker: every total minus its published parts, wherever exactly one part is hidden."""
    found = []
    rows = {h.pk: r for h, r in zip(HOODS, answer["neighbourhoods"], strict=True)}
    total_row = answer["municipality"]
    for measure in ALL_COUNTS:  # column: the municipality minus the neighbourhoods (signals without one: none here)
        cells = [rows[h.pk]["counts"][measure] for h in HOODS]
        total = total_row["counts"][measure]
        if total is not None and cells.count(None) == 1:
            found.append(f"{measure} from the column")
    for row in [*rows.values(), total_row]:  # row: signals in minus the other categories
        cells = list(row["signals_in_by_category"].values())
        total = row["counts"]["signals_in"]
        if total is not None and cells.count(None) == 1:
            found.append(f"{row['code']} category from the row")
        for part, whole in COMPLEMENTS:
            p, w = row["counts"][part], row["counts"][whole]
            if p is not None and w is not None and 0 < w - p < 5:
                found.append(f"{row['code']} {whole} - {part} is small")
    return found


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    parts = [Cell(3), Cell(7), Cell(20)]
    group = Group(Cell(30), parts)
    secondary_suppress([group])
    assert [c.suppressed for c in parts] == [True, True, False]
    assert group.total.shown() == 30


def test_a_cell_hidden_to_protect_another_is_protected_in_its_own_groups() -> None:
    a, b, c = Cell(3), Cell(8), Cell(20)
    column = Group(Cell(31), [a, b, c])
    b_categories = [Cell(6), Cell(2)]  # b = 8 is made of 6 + 2: its row reveals b unless another is hidden
    row = Group(b, b_categories)
    secondary_suppress([column, row])
    assert b.suppressed
    assert sum(x.unknown for x in [*b_categories, b]) >= 2


def test_a_never_published_small_remainder_is_protected() -> None:
    picked = Cell(10)
    group = Group(Cell(12), [picked, hidden(2)])  # 12 in, 10 picked up: 2 not picked up would follow
    secondary_suppress([group])
    assert picked.suppressed or group.total.suppressed


def test_rates_rest_on_ten_cases_and_never_on_a_suppressed_count() -> None:
    assert rate(Cell(9), Cell(9)) is None
    assert rate(Cell(9), Cell(10)) == 0.9
    hidden_numerator = Cell(6, suppressed=True)
    assert rate(hidden_numerator, Cell(40)) is None


def test_an_attacker_derives_nothing_from_totals_and_differences() -> None:
    per_hood = {
        1: {"signals_in": 12, "picked_up": 12, "picked_up_in_time": 10, "escalated": 2, "closed": 0},
        2: {"signals_in": 3},
        3: {"signals_in": 7, "picked_up": 7, "picked_up_in_time": 7},
        4: {"signals_in": 25, "picked_up": 22, "picked_up_in_time": 20, "escalated": 1, "closed": 20},
        5: {"signals_in": 40, "picked_up": 40, "picked_up_in_time": 39, "closed": 38},
    }
    casework = {  # referrals, conferences, tasks, alarms: small cells, small complements, one lone small cell
        1: {"referrals_made": 12, "referrals_connected": 9, "referrals_collective": 3, "tasks_due": 8},
        2: {"referrals_made": 2, "referrals_connected": 2, "case_conferences": 6, "area_alarms": 1},
        3: {"referrals_made": 20, "referrals_connected": 18, "referrals_collective": 10, "tasks_due": 11},
        4: {"referrals_made": 6, "case_conferences": 3, "tasks_due": 9, "tasks_done_in_time": 5},
        5: {"referrals_made": 30, "referrals_connected": 25, "referrals_collective": 15, "area_meetings": 2},
    }
    for hood, values in casework.items():
        per_hood[hood].update(values)
    per_hood[1]["tasks_done_in_time"] = 7
    per_hood[3]["tasks_done_in_time"] = 11
    categories = {
        1: {"nuisance": 6, "isolation": 6},
        2: {"nuisance": 3},
        3: {"payment_arrears": 7},
        4: {"nuisance": 21, "isolation": 4},
        5: {"nuisance": 40},
    }
    raw = _raw(per_hood, categories)
    answer = publish(raw, HOODS, MUNICIPALITY, date(2026, 10, 1), date(2026, 10, 31))
    assert answer["neighbourhoods"][1]["counts"]["signals_in"] is None
    assert _derivable(answer, raw) == []
    assert all(v is None or v == 0 or v >= 5 for v in _counts_in(answer))


hood_counts = st.fixed_dictionaries(
    {
        "signals_in": st.integers(0, 30),
        "picked_up": st.integers(0, 30),
        "escalated": st.integers(0, 8),
        "handovers": st.integers(0, 9),
        "stuck": st.integers(0, 4),
        "referrals_made": st.integers(0, 20),
        "case_conferences": st.integers(0, 6),
        "tasks_due": st.integers(0, 15),
        "area_alarms": st.integers(0, 3),
    }
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(hood_counts, min_size=5, max_size=5),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=5, max_size=5),
    st.integers(0, 6),
)
def test_no_answer_holds_a_count_from_one_to_four(
    hoods: list[dict[str, int]], cats: list[tuple[int, int]], unplaced: int
) -> None:
    per_hood: dict[int, dict[str, int]] = {}
    categories: dict[int, dict[str, int]] = {}
    for area, counts, (nuisance, isolation) in zip(HOODS, hoods, cats, strict=True):
        signals_in = nuisance + isolation
        picked = min(counts["picked_up"], signals_in)
        per_hood[area.pk] = {**counts, "signals_in": signals_in, "picked_up": picked}
        per_hood[area.pk]["picked_up_in_time"] = picked // 2
        per_hood[area.pk]["referrals_connected"] = counts["referrals_made"] * 2 // 3
        per_hood[area.pk]["referrals_collective"] = counts["referrals_made"] // 4
        per_hood[area.pk]["tasks_done_in_time"] = counts["tasks_due"] - counts["tasks_due"] // 5
        categories[area.pk] = {"nuisance": nuisance, "isolation": isolation}
    per_hood[0] = {"signals_in": unplaced}
    categories[0] = {"other": unplaced}
    raw = _raw(per_hood, categories)
    answer = publish(raw, HOODS, MUNICIPALITY, date(2026, 1, 1), date(2026, 1, 31))
    values = _counts_in(answer)
    assert all(v is None or v == 0 or v >= 5 for v in values)
    for row in [*answer["neighbourhoods"], answer["municipality"]]:
        for name, value in row["rates"].items():
            denominator = {"handovers": "handovers", "referrals": "referrals_made", "tasks": "tasks_due"}.get(
                name.split("_")[0], "signals_in"
            )
            assert value is None or (row["counts"][denominator] or 0) >= 10
