"""The figures as CSV: the API's `text/csv` answer, the UI's download and the monthly open-data file.

One row per neighbourhood and one for the municipality, columns in a fixed order that never depends on the
data (docs/open-data.md). Suppressed counts and rates on too few cases are empty cells.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from waakvlam.core.csvfiles import csv_writer
from waakvlam.insight.selectors import BREAKDOWN_KEYS, BREAKDOWNS, CASEWORK_COUNTS, COUNTS

RATES = ("picked_up_in_time", "picked_up", "escalated", "handovers_first_contact_in_time")
CASEWORK_RATES = ("referrals_connected", "referrals_collective", "tasks_done_in_time")
HEADER = [
    "period_from",
    "period_to",
    "level",
    "code",
    "name",
    "district_code",
    *COUNTS,
    *(f"{BREAKDOWNS[dim]}.{key}" for dim in BREAKDOWNS for key in BREAKDOWN_KEYS[dim]),
    *(f"rate.{name}" for name in RATES),
    "median_hours_to_pickup",
    "p90_hours_to_pickup",
    # Added with the casework figures: at the end, so the columns before keep their place (open-data.md).
    *CASEWORK_COUNTS,
    *(f"rate.{name}" for name in CASEWORK_RATES),
]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def figure_rows(answer: dict[str, Any]) -> Iterable[list[str]]:
    rows = [("neighbourhood", r) for r in answer["neighbourhoods"]] + [("municipality", answer["municipality"])]
    for level, row in rows:
        yield [
            answer["from"],
            answer["to"],
            level,
            row["code"],
            row["name"],
            row.get("district_code", ""),
            *(_cell(row["counts"][m]) for m in COUNTS),
            *(_cell(row[BREAKDOWNS[dim]][key]) for dim in BREAKDOWNS for key in BREAKDOWN_KEYS[dim]),
            *(_cell(row["rates"][name]) for name in RATES),
            _cell(row["median_hours_to_pickup"]),
            _cell(row["p90_hours_to_pickup"]),
            *(_cell(row["counts"][m]) for m in CASEWORK_COUNTS),
            *(_cell(row["rates"][name]) for name in CASEWORK_RATES),
        ]


def figures_csv(answer: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(figure_rows(answer))
    return out.getvalue()
