"""The position-based suppression (suppression.Table / suppress) decides exactly as the object-based worklist
it replaced: the same cells suppressed, on any groups, including cells shared between groups, never-published
remainders and cells suppressed beforehand. The reference below is that earlier implementation, kept here
as the oracle (publish's guarantees are tested on its answers in test_suppression.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from waakvlam.insight.suppression import THRESHOLD, Cell, Group, Table, secondary_suppress, sensitive, suppress


def _reference(groups: list[Group]) -> int:
    containing: dict[int, list[Group]] = {}
    for group in groups:
        for cell in group.members():
            containing.setdefault(id(cell), []).append(group)
    added = 0
    pending = list(groups)
    while pending:
        group = pending.pop()
        unknown = [c for c in group.members() if c.unknown]
        if len(unknown) != 1 or not (unknown[0].suppressed or sensitive(unknown[0].value)):
            continue
        candidates = [c for c in group.parts if c.published and not c.suppressed]
        nonzero = [c for c in candidates if c.value > 0]
        pool = nonzero or ([group.total] if group.total.published and not group.total.suppressed else candidates)
        if not pool:
            continue
        chosen = min(pool, key=lambda c: c.value)
        chosen.suppressed = True
        added += 1
        pending.extend(containing[id(chosen)])
    return added


cell_spec = st.tuples(st.integers(0, 30), st.booleans(), st.booleans())  # value, published, suppressed before
group_spec = st.tuples(st.integers(0, 39), st.lists(st.integers(0, 39), min_size=1, max_size=8))


def _cells(specs: list[tuple[int, bool, bool]]) -> list[Cell]:
    cells = []
    for value, published, before in specs:
        cell = Cell(value, published=published)
        cell.suppressed = cell.suppressed or (published and before and value % 3 == 0)
        cells.append(cell)
    return cells


@settings(max_examples=300, deadline=None)
@given(st.lists(cell_spec, min_size=40, max_size=40), st.lists(group_spec, min_size=1, max_size=25))
def test_the_table_suppresses_exactly_what_the_object_worklist_did(
    specs: list[tuple[int, bool, bool]], shapes: list[tuple[int, list[int]]]
) -> None:
    ours, theirs = _cells(specs), _cells(specs)
    added = secondary_suppress([Group(ours[t], [ours[p] for p in parts]) for t, parts in shapes])
    expected = _reference([Group(theirs[t], [theirs[p] for p in parts]) for t, parts in shapes])
    assert added == expected
    assert [c.suppressed for c in ours] == [c.suppressed for c in theirs]


def test_a_table_cell_follows_the_cell_rules() -> None:
    table = Table()
    small, zero, big = table.extend([THRESHOLD - 1, 0, 12])
    rest = table.hidden(2)
    assert [table.shown(small), table.shown(zero), table.shown(big)] == [None, 0, 12]
    assert not table.suppressed[rest]  # never published, so never "suppressed", but unknown to the groups
    assert table.rate(big, big) == 1.0
    assert table.rate(small, big) is None
    assert suppress(table, [(big, [small, zero, rest])]) == 0  # two unknown members already: nothing follows
    lone = table.extend([9, 3])
    assert suppress(table, [(big, list(lone))]) == 1
    assert table.shown(lone[0]) is None
