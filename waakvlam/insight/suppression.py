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


def secondary_suppress(groups: list[Group]) -> int:
    """Suppress further cells until no group pins down a hidden cell; returns how many were added.

    A worklist: a group is looked at again only when one of its cells was suppressed since."""
    containing: dict[int, list[Group]] = {}
    for group in groups:
        for cell in group.members():
            containing.setdefault(id(cell), []).append(group)
    added = 0
    pending = list(groups)
    while pending:
        group = pending.pop()
        unknown = [c for c in group.members() if c.unknown]
        # One unknown member follows from the others. That matters when it is small, or suppressed to
        # protect a small cell in another group (which would then follow in turn).
        if len(unknown) != 1 or not (unknown[0].suppressed or sensitive(unknown[0].value)):
            continue
        candidates = [c for c in group.parts if c.published and not c.suppressed]
        nonzero = [c for c in candidates if c.value > 0]
        pool = nonzero or ([group.total] if group.total.published and not group.total.suppressed else candidates)
        if not pool:
            continue  # nothing left to hide; cannot happen while a sensitive member is itself unknown
        chosen = min(pool, key=lambda c: c.value)
        chosen.suppressed = True
        added += 1
        pending.extend(containing[id(chosen)])
    return added


def rate(numerator: Cell, denominator: Cell) -> float | None:
    """A share, or None when it rests on fewer than 10 cases or either count is suppressed (a share times
    a published count would give a suppressed one back)."""
    if numerator.suppressed or denominator.suppressed or denominator.value < MIN_CASES_FOR_RATE:
        return None
    return round(numerator.value / denominator.value, 4)
