"""Small-number suppression: no count of 1 to 4 is published, and none can be worked out from the rest.

Primary: every count from 1 to 4 is suppressed. Secondary: the published figures hang together in additive
groups — a total and the parts that make it up (the neighbourhoods and the municipality; the categories and
the signals in; picked up and not picked up, which together are the signals in). In a group with a
suppressed or sensitive cell (1-4, published or not), at least two members must be unknown, or the one would
follow from the total minus the others (and a cell suppressed to protect another must not follow either). Members that are never published (the signals without a neighbourhood, "not
picked up") count as unknown when they are not zero. When a group has exactly one unknown member, the
smallest published non-zero member is suppressed too (a part before the total), and the groups are checked
again until nothing changes (docs/insight.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

THRESHOLD = 5
MIN_CASES_FOR_RATE = 10


def sensitive(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(eq=False)
class Cell:
    """One count. `published` is False for cells that exist only to complete a group (never shown)."""

    value: int
    published: bool = True
    suppressed: bool = False

    def __post_init__(self) -> None:
        if self.published and sensitive(self.value):
            self.suppressed = True

    @property
    def unknown(self) -> bool:
        return self.suppressed or (not self.published and self.value != 0)

    def shown(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass
class Group:
    total: Cell
    parts: list[Cell] = field(default_factory=list)

    def members(self) -> list[Cell]:
        return [*self.parts, self.total]


def hidden(value: int) -> Cell:
    return Cell(value, published=False)


def remainder(total: Cell, parts: Iterable[Cell]) -> Cell:
    """The never-published rest of a total (e.g. signals without a neighbourhood)."""
    return hidden(total.value - sum(p.value for p in parts))


class Table:
    """Counts as parallel lists, a cell being its position: the same rules as Cell without an object per
    count (an answer has a few thousand; creating and reading them was most of publishing's time)."""

    def __init__(self) -> None:
        self.values: list[int] = []
        self.published: list[bool] = []
        self.suppressed: list[bool] = []

    def add(self, value: int, *, published: bool = True) -> int:
        self.values.append(value)
        self.published.append(published)
        self.suppressed.append(published and sensitive(value))
        return len(self.values) - 1

    def extend(self, values: list[int]) -> range:
        """Published counts, in one go: their positions."""
        start = len(self.values)
        self.values.extend(values)
        self.published.extend([True] * len(values))
        self.suppressed.extend([0 < v < THRESHOLD for v in values])
        return range(start, len(self.values))

    def hidden(self, value: int) -> int:
        return self.add(value, published=False)

    def shown(self, cell: int) -> int | None:
        return None if self.suppressed[cell] else self.values[cell]

    def rate(self, numerator: int, denominator: int) -> float | None:
        """As rate() below."""
        if self.suppressed[numerator] or self.suppressed[denominator] or self.values[denominator] < MIN_CASES_FOR_RATE:
            return None
        return round(self.values[numerator] / self.values[denominator], 4)


def suppress(table: Table, groups: list[tuple[int, list[int]]]) -> int:
    """Secondary suppression over a Table; groups are (total, parts). Returns how many cells were added.

    A worklist: a group is looked at again only when one of its cells was suppressed since. Each group's
    number of unknown members is kept as it changes (a cell only ever becomes unknown, by being suppressed),
    so a group is searched only when exactly one member is unknown."""
    values, published, suppressed = table.values, table.published, table.suppressed
    members = [[*parts, total] for total, parts in groups]
    containing: list[list[int]] = [[] for _ in values]
    for g, cells in enumerate(members):
        for cell in cells:
            containing[cell].append(g)
    unknown = [s or (not p and v != 0) for v, p, s in zip(values, published, suppressed, strict=True)]
    count = [0] * len(groups)
    for cell, is_unknown in enumerate(unknown):
        if is_unknown:
            for g in containing[cell]:
                count[g] += 1
    added = 0
    pending = list(range(len(groups)))
    while pending:
        g = pending.pop()
        if count[g] != 1:
            continue
        # The one unknown member follows from the others. That matters when it is small, or suppressed to
        # protect a small cell in another group (which would then follow in turn).
        lone = next(cell for cell in members[g] if unknown[cell])
        if not (suppressed[lone] or sensitive(values[lone])):
            continue
        total, parts = groups[g]
        candidates = [c for c in parts if published[c] and not suppressed[c]]
        nonzero = [c for c in candidates if values[c] > 0]
        pool = nonzero or ([total] if published[total] and not suppressed[total] else candidates)
        if not pool:
            continue  # nothing left to hide; cannot happen while a sensitive member is itself unknown
        chosen = min(pool, key=values.__getitem__)  # the first smallest, in the group's order
        suppressed[chosen] = unknown[chosen] = True
        added += 1
        for h in containing[chosen]:
            count[h] += 1
        pending.extend(containing[chosen])
    return added


def secondary_suppress(groups: list[Group]) -> int:
    """Suppress further cells until no group pins down a hidden cell; returns how many were added.

    The same rules as suppress() for Cell objects (a cell shared by several groups is one cell)."""
    table = Table()
    index: dict[int, int] = {}
    cells: list[Cell] = []

    def position(cell: Cell) -> int:
        at = index.get(id(cell))
        if at is None:
            at = index[id(cell)] = table.add(cell.value, published=cell.published)
            table.suppressed[at] = cell.suppressed
            cells.append(cell)
        return at

    indexed = [(position(group.total), [position(c) for c in group.parts]) for group in groups]
    added = suppress(table, indexed)
    for at, cell in enumerate(cells):
        cell.suppressed = table.suppressed[at]
    return added


def rate(numerator: Cell, denominator: Cell) -> float | None:
    """A share, or None when it rests on fewer than 10 cases or either count is suppressed (a share times
    a published count would give a suppressed one back)."""
    if numerator.suppressed or denominator.suppressed or denominator.value < MIN_CASES_FOR_RATE:
        return None
    return round(numerator.value / denominator.value, 4)
