"""Referrals, case conferences with tasks, area alarms and area meetings for bench/insight.py: written with
INSERT … SELECT like bench/insight_data.py (repeatable multiplicative hashes, every NOT NULL column and
check constraint respected), and the same figures answered by DuckDB from the exported raw rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

SPAN_DAYS = 730
SPIKES_PER_HOOD, MEETINGS_PER_HOOD, TASKS_PER_CONFERENCE = 4, 2, 3


def _services(cursor: Any) -> None:
    """One collective and one individual service per municipality of the bench (bench_services)."""
    from django.utils import timezone

    from waakvlam.core.models import Municipality
    from waakvlam.socialmap import models as m

    cursor.execute("SELECT DISTINCT municipality_id FROM bench_hood ORDER BY 1")
    rows = []
    for (muni_id,) in cursor.fetchall():
        municipality = Municipality.objects.get(pk=muni_id)
        now = timezone.now()
        org = m.Organization.objects.create(
            municipality=municipality, name=f"Bench {muni_id}", description="bench", last_modified=now
        )
        collective, individual = (
            m.Service.objects.create(
                municipality=municipality,
                organization=org,
                name=f"{kind} {muni_id}",
                description="bench",
                last_modified=now,
                collective=kind == "collective",
                free=True,
            )
            for kind in ("collective", "individual")
        )
        rows.append((muni_id, str(collective.pk), str(individual.pk)))
    cursor.execute("DROP TABLE IF EXISTS bench_services")
    cursor.execute("CREATE TABLE bench_services (municipality_id bigint primary key, collective uuid, individual uuid)")
    cursor.executemany("INSERT INTO bench_services VALUES (%s, %s, %s)", rows)


def generate_casework(cursor: Any, *, referrals: int, conferences: int, now: datetime) -> dict[str, int]:
    """Referrals over the residents (a third to a collective service), conferences over the households with
    three tasks each (done in time, late, open, dropped), and per neighbourhood area alarms and meetings."""
    _services(cursor)
    start = now - timedelta(days=SPAN_DAYS)
    span = int((now - timedelta(days=1) - start).total_seconds())
    today = now.date()
    cursor.execute("SELECT count(*) FROM households_resident")
    residents = max(1, cursor.fetchone()[0])
    cursor.execute(f"""
      INSERT INTO socialmap_referral (municipality_id, service_id, resident_id, neighbourhood_id, sender_id,
        sender_organisation_id, owner_organisation_id, collective, status, shared, consent_recorded_at,
        warm_introduction, decline_reason, place_held, answer_due_at, escalation_level, created_at, updated_at,
        public_id)
      SELECT r.municipality_id, CASE WHEN x.coll THEN s.collective ELSE s.individual END, r.id, hh.neighbourhood_id,
        h.steward_id, h.social_id, CASE WHEN x.coll THEN h.social_id ELSE h.ggz_id END, x.coll, x.st, 'first_name',
        x.at, false, '', false, x.at + interval '5 days', 0, x.at, x.at, gen_random_uuid()
      FROM generate_series(0, {referrals - 1}) g
      JOIN (SELECT id, municipality_id, household_id, row_number() OVER (ORDER BY id) - 1 AS k
            FROM households_resident) r ON r.k = g % {residents}
      JOIN households_household hh ON hh.id = r.household_id
      JOIN bench_hood h ON h.hood_id = hh.neighbourhood_id
      JOIN bench_services s ON s.municipality_id = r.municipality_id
      CROSS JOIN LATERAL (SELECT timestamptz '{start.isoformat()}' + ((g::bigint * 7919) % {span}) * interval '1 second'
          AS at, g % 3 = 0 AS coll,
          (array['sent','accepted','connected','no_show','ended'])[1 + (g::bigint * 31) % 5] AS st) x
    """)
    cursor.execute("""
      INSERT INTO socialmap_referralevent (referral_id, at, kind, from_status, to_status, actor_label, note)
      SELECT id, created_at + interval '1 day', 'status', 'accepted', 'connected', '', ''
      FROM socialmap_referral WHERE status = 'connected' OR (status = 'ended' AND id % 2 = 0)
    """)
    cursor.execute(f"""
      INSERT INTO cases_caseconference (municipality_id, household_id, organisation_id, convened_by_id, question,
        meets_on, resident_takes_part, network_takes_part, without_resident_reason, minutes, status, created_at,
        public_id)
      SELECT hh.municipality_id, hh.id, h.social_id, h.steward_id, 'bench',
        date '{today}' - ((hh.id * 104729) % {SPAN_DAYS})::int, true, true, '', '', 'open', hh.created_at,
        gen_random_uuid()
      FROM (SELECT * FROM households_household ORDER BY id LIMIT {conferences}) hh
      JOIN bench_hood h ON h.hood_id = hh.neighbourhood_id
    """)
    cursor.execute(f"""
      INSERT INTO cases_task (municipality_id, conference_id, title, done_means, owner_organisation_id, due_on,
        due_at, status, settled_at, settle_note, escalation_level, created_at, public_id)
      SELECT c.municipality_id, c.id, 'bench', 'bench', CASE WHEN k = 0 THEN h.housing_id ELSE h.social_id END,
        d.due_on, d.due_at, d.st,
        CASE d.st WHEN 'open' THEN NULL WHEN 'dropped' THEN d.due_at
             ELSE d.due_at + ((c.id + k) % 5 - 3) * interval '1 day' END,
        CASE WHEN d.st = 'dropped' THEN 'bench' ELSE '' END, 0, c.created_at, gen_random_uuid()
      FROM cases_caseconference c
      JOIN households_household hh ON hh.id = c.household_id
      JOIN bench_hood h ON h.hood_id = hh.neighbourhood_id
      CROSS JOIN generate_series(0, {TASKS_PER_CONFERENCE - 1}) k
      CROSS JOIN LATERAL (SELECT c.meets_on + 7 * (k + 1) AS due_on,
          ((c.meets_on + 7 * (k + 1) + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') - interval '1 second' AS due_at,
          (array['done','done','open','dropped'])[1 + (c.id + k) % 4] AS st) d
    """)
    cursor.execute(f"""
      INSERT INTO cases_spike (municipality_id, neighbourhood_id, category, window_start, window_end, count, usual,
        detected_at)
      SELECT h.municipality_id, h.hood_id, 'nuisance', x.at - interval '7 days', x.at, 6, 1.5, x.at
      FROM bench_hood h CROSS JOIN generate_series(0, {SPIKES_PER_HOOD - 1}) k
      CROSS JOIN LATERAL (SELECT timestamptz '{start.isoformat()}'
          + ((h.idx * 7 + k * 173) % {SPAN_DAYS - 1}) * interval '1 day' + interval '10 hours' AS at) x
    """)
    cursor.execute(f"""
      INSERT INTO cases_areameeting (municipality_id, neighbourhood_id, organisation_id, convened_by_id, topic,
        meets_on, minutes, status, created_at)
      SELECT h.municipality_id, h.hood_id, h.social_id, h.steward_id, 'bench',
        date '{today}' - ((h.idx * 13 + k * 301) % {SPAN_DAYS})::int, '', 'open', timestamptz '{start.isoformat()}'
      FROM bench_hood h CROSS JOIN generate_series(0, {MEETINGS_PER_HOOD - 1}) k
    """)
    cursor.execute("ANALYZE")
    counts = {}
    for table in ("socialmap_referral", "cases_caseconference", "cases_task", "cases_spike", "cases_areameeting"):
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
    return counts


EXPORTS = {
    "referrals": "SELECT id, municipality_id, neighbourhood_id, owner_organisation_id, collective, status, created_at "
    "FROM socialmap_referral",
    "referralevents": "SELECT referral_id, to_status FROM socialmap_referralevent",
    "conferences": "SELECT id, municipality_id, household_id, organisation_id, meets_on FROM cases_caseconference",
    "tasks": "SELECT municipality_id, conference_id, area_meeting_id, owner_organisation_id, due_on, due_at, status, "
    "settled_at FROM cases_task",
    "spikes": "SELECT municipality_id, neighbourhood_id, detected_at FROM cases_spike",
    "areameetings": "SELECT id, municipality_id, neighbourhood_id, meets_on FROM cases_areameeting",
}

DUCK_CASEWORK = """
WITH r AS (SELECT r.*, c.referral_id IS NOT NULL AS was_connected FROM referrals r
             LEFT JOIN (SELECT DISTINCT referral_id FROM referralevents WHERE to_status = 'connected') c
               ON c.referral_id = r.id
           WHERE r.municipality_id = $m
             AND CAST(timezone('Europe/Amsterdam', r.created_at) AS DATE) BETWEEN $a AND $b)
SELECT 'referrals', coalesce(neighbourhood_id, 0), count(*),
  count(*) FILTER (WHERE status = 'connected' OR was_connected) FROM r GROUP BY 2
UNION ALL
SELECT 'collective', coalesce(neighbourhood_id, 0), count(*), 0 FROM r WHERE collective GROUP BY 2
UNION ALL
SELECT 'cases', coalesce(hh.neighbourhood_id, 0), count(*), 0 FROM conferences c
  JOIN households hh ON hh.id = c.household_id
  WHERE c.municipality_id = $m AND c.meets_on BETWEEN $a AND $b GROUP BY 2
UNION ALL
SELECT 'tasks', coalesce(hh.neighbourhood_id, am.neighbourhood_id, 0), count(*),
  count(*) FILTER (WHERE t.status = 'done' AND t.settled_at <= t.due_at) FROM tasks t
  LEFT JOIN conferences c ON c.id = t.conference_id LEFT JOIN households hh ON hh.id = c.household_id
  LEFT JOIN areameetings am ON am.id = t.area_meeting_id
  WHERE t.municipality_id = $m AND t.due_on BETWEEN $a AND $b GROUP BY 2
UNION ALL
SELECT 'alarms', neighbourhood_id, count(*), 0 FROM spikes WHERE municipality_id = $m
  AND CAST(timezone('Europe/Amsterdam', detected_at) AS DATE) BETWEEN $a AND $b GROUP BY 2
UNION ALL
SELECT 'meetings', neighbourhood_id, count(*), 0 FROM areameetings WHERE municipality_id = $m
  AND meets_on BETWEEN $a AND $b GROUP BY 2"""

NAMES = {
    "referrals": ("referrals_made", "referrals_connected"),
    "collective": ("referrals_collective", None),
    "cases": ("case_conferences", None),
    "tasks": ("tasks_due", "tasks_done_in_time"),
    "alarms": ("area_alarms", None),
    "meetings": ("area_meetings", None),
}


def duck_casework(db: Any, municipality: int, start: date, end: date, counts: dict[int, Any]) -> None:
    """Add DuckDB's casework figures per neighbourhood to `counts` (a Counter per neighbourhood id)."""
    from collections import Counter

    for kind, hood, a, b in db.execute(DUCK_CASEWORK, {"m": municipality, "a": start, "b": end}).fetchall():
        first, second = NAMES[kind]
        counts.setdefault(hood, Counter())[first] += a
        if second:
            counts[hood][second] += b
