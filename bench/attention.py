"""The attention list: the full recompute over many signals and households, and the incremental cost per
new signal, on PostgreSQL.

In a fresh PostgreSQL database the demo town is loaded, then H households (each with its own address) and
N signals are generated with INSERT … SELECT generate_series: received over the last two years, ten
categories, reported by the town's organisations (police among them) and by residents, spread over the
households unevenly. After VACUUM ANALYZE, `attention_recompute` (the set-based path) runs once and is
timed; then K new signals arrive and one pass of the worker's sweep picks them up (commit-safe id feed), timed
per signal. Targets (issue 15): full recompute under 60 s for 10,000,000 signals and 1,000,000
households; under 10 ms per new signal. Writes bench/results/attention.json.

    python -m bench attention     # or: python bench/attention.py [--signals N] [--households H] [--new K]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import run_inner_on_fresh_database, write_result

SIGNALS = int(os.environ.get("BENCH_ATTENTION_SIGNALS", "10000000"))
HOUSEHOLDS = int(os.environ.get("BENCH_ATTENTION_HOUSEHOLDS", "1000000"))
NEW_SIGNALS = int(os.environ.get("BENCH_ATTENTION_NEW", "2000"))
TARGET_FULL_SECONDS = 60.0
TARGET_MS_PER_SIGNAL = 10.0
CATEGORIES = [
    "nuisance",
    "neglect",
    "worrying_behaviour",
    "payment_arrears",
    "eviction_risk",
    "isolation",
    "discharge",
    "relapse_signs",
    "safety_for_workers",
    "other",
]

ADDRESSES_SQL = """
INSERT INTO core_address (municipality_id, neighbourhood_id, postcode, house_number, house_letter,
                          house_number_addition, street, city, key)
SELECT %(m)s, (%(hoods)s::bigint[])[1 + g %% %(n_hoods)s], '9999' || chr(65 + (g / 100000) %% 26) ||
       chr(65 + (g / 4000) %% 26), g, '', '', 'Benchstraat', 'Demodorp', 'BENCH|' || g
FROM generate_series(1, %(households)s) g
"""
HOUSEHOLDS_SQL = """
INSERT INTO households_household (municipality_id, address_id, neighbourhood_id, created_at, public_id)
SELECT municipality_id, id, neighbourhood_id, %(now)s, gen_random_uuid() FROM core_address WHERE key LIKE 'BENCH|%%' ORDER BY id
"""
# Households drawn unevenly (a square of a uniform number leans towards the low ids): most have a few
# signals, some many. Sources: each organisation kind, and residents without an organisation.
SIGNALS_SQL = """
INSERT INTO intake_signal (municipality_id, tracking_code, category, urgency, description, description_masked,
    privacy_flags, address_id, household_id, neighbourhood_id, received_at, source_kind, reporter_organisation_id,
    external_id, debtor_index, status, outcome, owner_team_id, due_at, updated_at, location_text,
    reporter_email_index, reporter_may_contact, escalation_level)
SELECT %(m)s, 'B' || lpad(g::text, 11, '0'), (%(categories)s::text[])[1 + (g * 7) %% 10], 'normal', '', '',
       '[]'::jsonb, h.address_id, h.id, h.neighbourhood_id, r.at,
       CASE WHEN (g * 13) %% 10 < 2 THEN 'resident' ELSE 'professional' END,
       CASE WHEN (g * 13) %% 10 < 2 THEN NULL ELSE (%(orgs)s::bigint[])[1 + (g * 31) %% %(n_orgs)s] END,
       '', '', 'received', '', (%(teams)s::bigint[])[1 + g %% %(n_teams)s], r.at + interval '2 days', r.at, '',
       '', false, 0
FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
CROSS JOIN LATERAL (SELECT %(first_household)s + floor(power(((g * 2654435761) %% 1000003) / 1000003.0, 2)
                           * %(households)s)::bigint AS hid) pick
JOIN households_household h ON h.id = pick.hid
CROSS JOIN LATERAL (SELECT %(now)s - ((g * 7919) %% (730 * 1440)) * interval '1 minute' AS at) r
"""


def _inner(signals: int, households: int, new: int) -> dict[str, object]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    django.setup()
    from django.db import connection

    from waakvlam.attention.models import AttentionItem
    from waakvlam.attention.recompute import attention_recompute
    from waakvlam.attention.recompute_sql import LAST_TIMINGS
    from waakvlam.attention.sweep import attention_sweep
    from waakvlam.core.models import Neighbourhood, Organisation, Team
    from waakvlam.demo.services import demo_load_town

    assert connection.vendor == "postgresql", "the attention benchmark measures the PostgreSQL path"
    municipality = demo_load_town()
    now = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    params = {
        "m": municipality.pk,
        "now": now,
        "households": households,
        "hoods": "{" + ",".join(str(n.pk) for n in Neighbourhood.objects.filter(municipality=municipality)) + "}",
        "n_hoods": Neighbourhood.objects.filter(municipality=municipality).count(),
        "orgs": "{" + ",".join(str(o.pk) for o in Organisation.objects.filter(municipality=municipality)) + "}",
        "n_orgs": Organisation.objects.filter(municipality=municipality).count(),
        "teams": "{" + ",".join(str(t.pk) for t in Team.objects.filter(municipality=municipality)) + "}",
        "n_teams": Team.objects.filter(municipality=municipality).count(),
        "categories": "{" + ",".join(CATEGORIES) + "}",
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(ADDRESSES_SQL, params)
        cursor.execute(HOUSEHOLDS_SQL, params)
        cursor.execute("SELECT min(id) FROM households_household")
        params["first_household"] = cursor.fetchone()[0]
        step = 1_000_000
        for first in range(1, signals + 1, step):
            cursor.execute(SIGNALS_SQL, {**params, "first": first, "last": min(signals, first + step - 1)})
        cursor.execute("VACUUM ANALYZE")
    setup_seconds = time.perf_counter() - started

    started = time.perf_counter()
    counts = attention_recompute(now=now, sql=True)
    full_seconds = time.perf_counter() - started
    items = AttentionItem.objects.count()
    timings = {k: round(v, 3) for k, v in LAST_TIMINGS.items()}

    # K new signals, as intake would write them, then one pass of the worker's sweep.
    with connection.cursor() as cursor:
        cursor.execute(SIGNALS_SQL, {**params, "first": signals + 1, "last": signals + new, "now": now})
        cursor.execute("ANALYZE intake_signal")
    started = time.perf_counter()
    sweep = attention_sweep(now)
    incremental_seconds = time.perf_counter() - started
    # And a single new signal: the latency of one pass with one signal in it.
    with connection.cursor() as cursor:
        cursor.execute(SIGNALS_SQL, {**params, "first": signals + new + 1, "last": signals + new + 1, "now": now})
    started = time.perf_counter()
    attention_sweep(now)
    single_ms = (time.perf_counter() - started) * 1000
    per_signal_ms = incremental_seconds * 1000 / new
    return {
        "database": connection.vendor,
        "signals": signals,
        "households": households,
        "full_recompute_seconds": round(full_seconds, 2),
        "full_recompute_counts": counts,
        "full_recompute_steps_seconds": timings,
        "items": items,
        "new_signals": new,
        "incremental_seconds": round(incremental_seconds, 3),
        "ms_per_new_signal": round(per_signal_ms, 3),
        "incremental_counts": sweep,
        "one_signal_pass_ms": round(single_ms, 1),
        "setup_seconds": round(setup_seconds, 1),
        "full_under_target": full_seconds < TARGET_FULL_SECONDS,
        "incremental_under_target": per_signal_ms < TARGET_MS_PER_SIGNAL,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--signals", type=int, default=SIGNALS)
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    parser.add_argument("--new", type=int, default=NEW_SIGNALS)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.inner:
        print(json.dumps(_inner(args.signals, args.households, args.new)))
        return
    result = run_inner_on_fresh_database(
        "postgres",
        "bench.attention",
        ["--signals", str(args.signals), "--households", str(args.households), "--new", str(args.new)],
    )
    write_result(
        "attention",
        {**result, "target_full_seconds": TARGET_FULL_SECONDS, "target_ms_per_new_signal": TARGET_MS_PER_SIGNAL},
    )


if __name__ == "__main__":
    main(sys.argv[1:])
