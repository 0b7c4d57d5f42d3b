"""Bench data for bench/insight.py, written straight into the tables with INSERT … SELECT generate_series.

Municipalities of equal size, 50 neighbourhoods each, two years of signals up to NOW. Pseudo-random
choices are multiplicative hashes of the row number, so a run is repeatable. Every NOT NULL column and
check constraint of the real tables is respected; the services are bypassed on purpose (speed).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
# The data ends at the start of the current hour, so the API (which reads the clock) sees it as current.
NOW = datetime.now(AMS).replace(minute=0, second=0, microsecond=0)
SPAN_DAYS = 730
DISTRICTS, HOODS_PER_DISTRICT = 5, 10
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
SOURCES = ["professional", "resident", "partner_system", "housing", "energy", "water", "health_insurance", "other"]
OUTCOMES = ["contact_made", "referred", "existing_support", "no_concern", "unreachable", "duplicate"]


def _array(values: list[str]) -> str:
    return "(array[" + ",".join(f"'{v}'" for v in values) + "])"


def reference_data(municipalities: int) -> dict[str, Any]:
    """Municipalities, districts, neighbourhoods (square outlines), organisations, one team and users each."""
    from waakvlam.core.models import District, Municipality, Neighbourhood, Organisation, Team, User
    from waakvlam.core.roles import OrganisationKind, Role

    hoods: list[tuple[int, int, int, int]] = []  # (municipality, neighbourhood, team, housing organisation)
    regie = None
    for m in range(municipalities):
        municipality = Municipality.objects.create(code=f"GM{1000 + m}", name=f"Benchdorp {m}")
        orgs = {
            kind: Organisation.objects.create(
                municipality=municipality, slug=f"b{m}-{kind}", name=f"{kind} {m}", kind=kind
            )
            for kind in (
                OrganisationKind.MUNICIPALITY,
                OrganisationKind.HOUSING_ASSOCIATION,
                OrganisationKind.SOCIAL_WORK,
                OrganisationKind.MENTAL_HEALTH_CARE,
            )
        }
        team = Team.objects.create(
            municipality=municipality, organisation=orgs[OrganisationKind.SOCIAL_WORK], name=f"Team {m}"
        )
        steward = User.objects.create_user(
            f"steward{m}", organisation=orgs[OrganisationKind.SOCIAL_WORK], role=Role.STEWARD
        )
        if m == 0:
            regie = User.objects.create_user(
                "bench-regie", organisation=orgs[OrganisationKind.MUNICIPALITY], role=Role.MUNICIPALITY
            )
        for d in range(DISTRICTS):
            district = District.objects.create(municipality=municipality, code=f"WK{1000 + m}{d:02d}", name=f"Wijk {d}")
            for n in range(HOODS_PER_DISTRICT):
                x, y = 5.0 + n * 0.01, 52.0 + d * 0.006
                ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.006], [x, y + 0.006], [x, y]]
                hood = Neighbourhood.objects.create(
                    municipality=municipality,
                    district=district,
                    code=f"BU{1000 + m}{d:02d}{n:02d}",
                    name=f"Buurt {d}-{n}",
                    outline={"type": "Polygon", "coordinates": [ring]},
                )
                hoods.append((municipality.pk, hood.pk, team.pk, orgs[OrganisationKind.HOUSING_ASSOCIATION].pk))
        orgs_by_muni = {k: v.pk for k, v in orgs.items()}
        hoods_meta = {"steward": steward.pk, "social": orgs_by_muni[OrganisationKind.SOCIAL_WORK]}
        hoods_meta["ggz"] = orgs_by_muni[OrganisationKind.MENTAL_HEALTH_CARE]
        reference_data.meta[municipality.pk] = hoods_meta  # type: ignore[attr-defined]
    return {"hoods": hoods, "regie": regie}


reference_data.meta = {}  # type: ignore[attr-defined]


def _hood_table(cursor: Any, hoods: list[tuple[int, int, int, int]]) -> None:
    meta = reference_data.meta  # type: ignore[attr-defined]
    cursor.execute("DROP TABLE IF EXISTS bench_hood")
    cursor.execute(
        "CREATE TABLE bench_hood (idx int primary key, municipality_id bigint, hood_id bigint, team_id bigint,"
        " housing_id bigint, steward_id bigint, social_id bigint, ggz_id bigint)"
    )
    rows = [
        (i, m, h, t, o, meta[m]["steward"], meta[m]["social"], meta[m]["ggz"]) for i, (m, h, t, o) in enumerate(hoods)
    ]
    cursor.executemany("INSERT INTO bench_hood VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)


def signals_sql(first: int, count: int, start: datetime, span_seconds: int, *, total: int = 0, origin: int = 0) -> str:
    """Signals first..first+count-1; signal `origin + i` of `total` lands at start + i/total of the span."""
    total, origin = total or count, origin or first
    r = "((g::bigint * {k}) % 1000003)"
    r1, r2, r3, r4, r5, r6 = (r.format(k=k) for k in (2654435761, 40503, 69069, 1103515245, 22695477, 134775813))
    return f"""
    INSERT INTO intake_signal (municipality_id, tracking_code, category, urgency, description, description_masked, location_text,
      privacy_flags, neighbourhood_id, received_at, source_kind, reporter_organisation_id, external_id,
      reporter_email_index, reporter_may_contact, debtor_index, status, outcome, owner_team_id, due_at,
      escalation_level, picked_up_at, closed_at, updated_at)
    SELECT municipality_id, 'B' || g, cat, 'normal', '', '', '', '[]'::jsonb, hood_id, received, src,
      CASE WHEN src = 'housing' THEN housing_id END, '', '', false, '',
      CASE WHEN NOT picked THEN 'received' WHEN closes THEN 'closed' ELSE 'in_progress' END,
      CASE WHEN picked AND closes THEN {_array(OUTCOMES)}[1 + {r6} % 6] ELSE '' END,
      team_id,
      CASE WHEN NOT picked THEN timestamptz '{NOW.isoformat()}' + interval '1 day'
           WHEN dur > 172800 THEN received + interval '52 hours' ELSE received + interval '2 days' END,
      CASE WHEN NOT picked THEN 2 WHEN dur > 172800 THEN 1 ELSE 0 END,
      CASE WHEN picked THEN received + dur * interval '1 second' END,
      CASE WHEN picked AND closes THEN received + (dur + 86400) * interval '1 second' END,
      CASE WHEN picked AND closes THEN received + (dur + 86400) * interval '1 second'
           WHEN picked THEN received + dur * interval '1 second' ELSE received END
    FROM (
      SELECT g, h.*,
        timestamptz '{start.isoformat()}' + ((g - {origin})::float8 * {span_seconds} / {total}) * interval '1 second'
          AS received,
        {_array(CATEGORIES)}[1 + {r1} % 10] AS cat,
        {_array(SOURCES)}[1 + {r2} % 8] AS src,
        ({r3} % 100) < 85 AS picked,
        ({r4} % 10) < 6 AS closes,
        CASE WHEN {r5} % 10 < 7 THEN {r6} % 28800 ELSE {r6} % 345600 END AS dur
      FROM generate_series({first}, {first + count - 1}) g
      JOIN bench_hood h ON h.idx = g % (SELECT count(*) FROM bench_hood)
    ) x
    """


def generate(cursor: Any, *, signals: int, households: int, moments: int, handovers: int, hoods: Any) -> None:
    _hood_table(cursor, hoods)
    start = NOW - timedelta(days=SPAN_DAYS)
    span = int((NOW - timedelta(days=1) - start).total_seconds())
    step = 1_000_000
    for first in range(1, signals + 1, step):
        cursor.execute(signals_sql(first, min(step, signals - first + 1), start, span, total=signals, origin=1))
    today = NOW.date()
    cursor.execute(f"""
      INSERT INTO core_address (municipality_id, neighbourhood_id, postcode, house_number, house_letter,
        house_number_addition, street, city, key)
      SELECT municipality_id, hood_id, '1000AA', g, '', '', 'Benchstraat', 'Benchdorp', 'B' || g
      FROM generate_series(1, {households}) g JOIN bench_hood h ON h.idx = g % (SELECT count(*) FROM bench_hood)
    """)
    cursor.execute(f"""
      INSERT INTO households_household (municipality_id, address_id, neighbourhood_id, created_at, public_id)
      SELECT municipality_id, id, neighbourhood_id, timestamptz '{start.isoformat()}', gen_random_uuid()
      FROM core_address
      WHERE key LIKE 'B%%'
    """)
    plans = max(1, moments // 10)
    cursor.execute(f"""
      INSERT INTO households_resident (municipality_id, household_id, description, created_at, public_id)
      SELECT municipality_id, id, 'bench', created_at, gen_random_uuid() FROM households_household ORDER BY id LIMIT {plans}
    """)
    cursor.execute(f"""
      INSERT INTO contact_contactplan (municipality_id, resident_id, organisation_id, team_id, steward_id, rhythm_days,
        starts_on, basis, basis_note, basis_recorded_at, status, next_contact_due, failed_attempts,
        escalation_reason, escalation_level, created_at, updated_at, close_reason, closed_at, ends_on, public_id)
      SELECT r.municipality_id, r.id, h.social_id, h.team_id, h.steward_id, 14, s.starts_on, 'consent', '',
        r.created_at, CASE WHEN r.id % 5 = 0 THEN 'closed' ELSE 'active' END,
        date '{today}' + (r.id % 30 - 5)::int, 0, '', 0, r.created_at, r.created_at,
        '', CASE WHEN r.id % 5 = 0 THEN s.starts_on + 200 + interval '10 hours' END, NULL, gen_random_uuid()
      FROM households_resident r
      JOIN households_household hh ON hh.id = r.household_id
      JOIN bench_hood h ON h.hood_id = hh.neighbourhood_id
      CROSS JOIN LATERAL (SELECT date '{today}' - (20 + (r.id * 7919) % ({SPAN_DAYS} - 220))::int AS starts_on) s
    """)
    cursor.execute(f"""
      INSERT INTO contact_contactmoment (municipality_id, plan_id, happened_on, channel, made, wellbeing, note,
        recorded_at, public_id)
      SELECT p.municipality_id, p.id, LEAST(date '{today}', p.starts_on + ((g / {plans}) * 14 + g % 7)::int),
        'visit', g % 5 <> 0, CASE WHEN g % 5 <> 0 THEN 'fine' ELSE '' END, '', p.created_at, gen_random_uuid()
      FROM generate_series(0, {moments - 1}) g
      JOIN (SELECT id, municipality_id, starts_on, created_at, row_number() OVER (ORDER BY id) - 1 AS k
            FROM contact_contactplan) p ON p.k = g % {plans}
    """)
    cursor.execute(f"""
      INSERT INTO handover_handover (municipality_id, resident_id, from_organisation_id, created_by_label,
        discharge_on, address_id, household_id, receiving_team_id, status, note, first_contact_within_days,
        first_contact_due, first_contact_on, overlap_until, escalation_level, created_at, updated_at, public_id,
        sender_name, sender_phone, sender_email)
      SELECT r.municipality_id, r.id, h.ggz_id, '', d.day, hh.address_id, hh.id, h.team_id, 'first_contact', '', 5,
        d.day + 5, CASE WHEN r.id % 10 <> 0 THEN d.day + (r.id % 8)::int END, d.day + 14, 0, r.created_at,
        r.created_at, gen_random_uuid(), '', '', ''
      FROM (SELECT * FROM households_resident ORDER BY id LIMIT {handovers}) r
      JOIN households_household hh ON hh.id = r.household_id
      JOIN bench_hood h ON h.hood_id = hh.neighbourhood_id
      CROSS JOIN LATERAL (SELECT date '{today}' - ((r.id * 104729) % {SPAN_DAYS})::int AS day) d
    """)
    cursor.execute("ANALYZE")


def a_days_signals(cursor: Any, *, first: int, count: int) -> None:
    """One day's new signals (received today before NOW), each with its 'received' history step, and as
    many pickups of the most recent older signals nobody had picked up yet, as the day's claims would be."""
    day_start = datetime.combine(NOW.date(), datetime.min.time(), tzinfo=AMS)
    span = int((NOW - day_start).total_seconds()) - 60
    cursor.execute("SELECT coalesce(max(id), 0) FROM intake_signal")
    before = cursor.fetchone()[0]
    cursor.execute(signals_sql(first, count, day_start, span))
    cursor.execute(
        "INSERT INTO intake_signalevent (signal_id, at, kind, actor_label, note) "
        f"SELECT id, received_at, 'received', '', '' FROM intake_signal WHERE id > {before}"
    )
    cursor.execute(
        f"""WITH picked AS (
              UPDATE intake_signal SET status = 'assigned', picked_up_at = timestamptz '{NOW.isoformat()}',
                updated_at = timestamptz '{NOW.isoformat()}'
              WHERE id IN (SELECT id FROM intake_signal WHERE status = 'received' AND picked_up_at IS NULL
                           AND id <= {before} ORDER BY id DESC LIMIT {count})
              RETURNING id)
            INSERT INTO intake_signalevent (signal_id, at, kind, actor_label, note)
            SELECT id, timestamptz '{NOW.isoformat()}', 'claimed', 'bench', '' FROM picked"""
    )
