"""The full recompute on PostgreSQL, set-based: per municipality a handful of statements instead of one
evaluation per household. The same rules as definitions.py, written as GROUP BYs per household over a
temporary projection of the allowed columns only (facts.SIGNAL_COLUMNS, PLAN_COLUMNS, HANDOVER_COLUMNS), and
the same item logic as services._apply. tests/attention/test_recompute_sql.py holds it to the Python path's
answer on the same data; tests/attention/test_allowed_fields.py checks the columns it reads.

A rule added to definitions.py needs its statement here too (RULE_SQL): recompute refuses to run while one
is missing, rather than computing a list without it.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from waakvlam.attention.configuration import ActiveConfiguration, configuration_for
from waakvlam.attention.definitions import ARREARS, DISCHARGE, NUISANCE, RULES, widest_window
from waakvlam.attention.facts import CHANNEL_KINDS, POLICE, start_of_day
from waakvlam.attention.services import DECIDE_WITHIN
from waakvlam.contact.selectors import today_of
from waakvlam.core.models import Municipality

# The projection: the allowed columns of counted signals in the widest window, and the pilot light's state.
# Everything about a household counts under the household's municipality (its configuration, its items), as
# in the Python path (facts.household_facts): a signal or plan recorded in another municipality's name, say
# one reported through a neighbouring municipality's organisation and linked here, still counts.
PROJECTION_SQL = [
    """CREATE TEMP TABLE att_sig ON COMMIT DROP AS
    SELECT s.id, s.tracking_code, s.household_id AS hid, s.category,
           CASE WHEN o.kind IS NOT NULL AND s.source_kind = ANY(%(channels)s) THEN o.kind ELSE s.source_kind END
               AS source,
           (s.received_at AT TIME ZONE %(tz)s)::date AS d, s.owner_team_id
    FROM intake_signal s LEFT JOIN core_organisation o ON o.id = s.reporter_organisation_id
    WHERE s.household_id IN (SELECT id FROM households_household WHERE municipality_id = %(m)s)
      AND s.outcome <> 'duplicate' AND s.received_at >= %(since)s""",
    "CREATE INDEX ON att_sig (hid)",
    """CREATE TEMP TABLE att_plan ON COMMIT DROP AS
    SELECT p.id, r.household_id AS hid, p.status = 'active' AS active, p.next_contact_due, p.last_contact_on,
           p.team_id
    FROM contact_contactplan p JOIN households_resident r ON r.id = p.resident_id
    WHERE r.household_id IN (SELECT id FROM households_household WHERE municipality_id = %(m)s)""",
    """CREATE TEMP TABLE att_ho ON COMMIT DROP AS
    SELECT h.id, h.household_id AS hid, h.status <> 'closed' AS open, h.discharge_on, h.first_contact_due,
           h.first_contact_on, h.receiving_team_id
    FROM handover_handover h
    WHERE h.household_id IN (SELECT id FROM households_household WHERE municipality_id = %(m)s)""",
    "CREATE TEMP TABLE att_fire (hid bigint, rule text, ids bigint[], facts jsonb) ON COMMIT DROP",
    # Temporary tables have no statistics until analysed; without them the planner guesses badly.
    "ANALYZE att_sig, att_plan, att_ho",
]

# One INSERT INTO att_fire per rule; %(p_<param>)s are the rule's configured parameters. "Within the last
# N days" is d BETWEEN today - (N - 1) AND today, as definitions._within.
RULE_SQL: dict[str, str] = {
    "multiple_sources": """
    INSERT INTO att_fire SELECT hid, 'multiple_sources', array_agg(id), NULL FROM att_sig
    WHERE d BETWEEN %(today)s::date - (%(p_window_days)s - 1) AND %(today)s
    GROUP BY hid HAVING count(DISTINCT source) >= %(p_min_sources)s""",
    "arrears_and_nuisance": """
    INSERT INTO att_fire SELECT hid, 'arrears_and_nuisance',
        array_agg(id) FILTER (WHERE category = ANY(%(arrears)s) OR category = %(nuisance)s), NULL
    FROM att_sig WHERE d BETWEEN %(today)s::date - (%(p_window_days)s - 1) AND %(today)s
    GROUP BY hid HAVING bool_or(category = ANY(%(arrears)s)) AND bool_or(category = %(nuisance)s)""",
    "signal_while_contact_overdue": """
    INSERT INTO att_fire
    WITH op AS (
        SELECT hid, min(next_contact_due) + %(p_grace_days)s AS since,
               jsonb_agg(jsonb_build_object('kind', 'contact_plan', 'id', id,
                                            'date', to_char(next_contact_due, 'YYYY-MM-DD')) ORDER BY id) AS facts
        FROM att_plan WHERE active AND next_contact_due + %(p_grace_days)s < %(today)s GROUP BY hid)
    SELECT op.hid, 'signal_while_contact_overdue', array_agg(s.id), op.facts
    FROM op JOIN att_sig s ON s.hid = op.hid AND s.d > op.since
         AND s.d BETWEEN %(today)s::date - (%(p_recent_days)s - 1) AND %(today)s
    GROUP BY op.hid, op.facts""",
    "discharge_without_first_contact": """
    INSERT INTO att_fire
    WITH c AS (
        SELECT hid, max(x) AS last FROM (
            SELECT hid, last_contact_on AS x FROM att_plan UNION ALL SELECT hid, first_contact_on FROM att_ho
        ) u WHERE x IS NOT NULL GROUP BY hid),
    ds AS (
        SELECT s.hid, array_agg(s.id) AS ids FROM att_sig s LEFT JOIN c ON c.hid = s.hid
        WHERE s.category = %(discharge)s AND s.d BETWEEN %(today)s::date - (%(p_window_days)s - 1) AND %(today)s
          AND s.d + %(p_grace_days)s < %(today)s AND (c.last IS NULL OR c.last < s.d)
        GROUP BY s.hid),
    lh AS (
        SELECT hid, jsonb_agg(jsonb_build_object('kind', 'handover', 'id', id,
                                                 'date', to_char(first_contact_due, 'YYYY-MM-DD')) ORDER BY id) AS facts
        FROM att_ho WHERE open AND first_contact_on IS NULL AND first_contact_due < %(today)s GROUP BY hid)
    SELECT coalesce(ds.hid, lh.hid), 'discharge_without_first_contact', ds.ids, lh.facts
    FROM ds FULL JOIN lh ON lh.hid = ds.hid""",
    "repeated_police": """
    INSERT INTO att_fire SELECT hid, 'repeated_police', array_agg(id) FILTER (WHERE source = %(police)s), NULL
    FROM att_sig WHERE d BETWEEN %(today)s::date - (%(p_window_days)s - 1) AND %(today)s
    GROUP BY hid HAVING count(*) FILTER (WHERE source = %(police)s) >= %(p_min_count)s""",
}

# Per household: the reasons (rules by name, signals by date and id, as engine.reasons_of), the owning team
# (engine.owner_team_of) and the newest counted signal of any date.
RESULT_SQL = """
CREATE TEMP TABLE att_result ON COMMIT DROP AS
WITH fs AS (
    SELECT f.hid, f.rule, s.id, s.tracking_code, s.d, s.source, s.category, s.owner_team_id
    FROM att_fire f CROSS JOIN LATERAL unnest(f.ids) AS u(id) JOIN att_sig s ON s.id = u.id
), signals AS (
    SELECT hid, rule,
           jsonb_agg(jsonb_build_object('id', id, 'tracking_code', tracking_code, 'date', to_char(d, 'YYYY-MM-DD'),
                                        'source', source, 'category', category) ORDER BY d, id) AS signals
    FROM fs GROUP BY hid, rule
), signal_team AS (
    SELECT DISTINCT ON (hid) hid, owner_team_id FROM fs ORDER BY hid, d DESC, id DESC
), handover_pick AS (
    SELECT f.hid, max((e ->> 'id')::bigint) AS handover_id
    FROM att_fire f CROSS JOIN LATERAL jsonb_array_elements(coalesce(f.facts, '[]'::jsonb)) e
    WHERE e ->> 'kind' = 'handover' GROUP BY f.hid
), plan_team AS (
    SELECT DISTINCT ON (hid) hid, team_id FROM att_plan WHERE active AND team_id IS NOT NULL ORDER BY hid, id DESC
), per_household AS (
    SELECT f.hid,
           jsonb_agg(jsonb_build_object('rule', f.rule, 'version', (%(versions)s::jsonb ->> f.rule)::int,
                                        'signals', coalesce(sg.signals, '[]'::jsonb),
                                        'facts', coalesce(f.facts, '[]'::jsonb)) ORDER BY f.rule) AS reasons,
           string_agg(f.rule, ',' ORDER BY f.rule) AS names
    FROM att_fire f LEFT JOIN signals sg ON sg.hid = f.hid AND sg.rule = f.rule
    GROUP BY f.hid
), newest AS (
    SELECT household_id AS hid, max(id) AS newest FROM intake_signal
    WHERE household_id IN (SELECT hid FROM per_household) AND outcome <> 'duplicate'
    GROUP BY household_id
)
SELECT p.hid, p.reasons, p.names, coalesce(pt.team_id, st.owner_team_id, ho.receiving_team_id) AS team_id,
       coalesce(n.newest, 0) AS newest
FROM per_household p
LEFT JOIN plan_team pt ON pt.hid = p.hid
LEFT JOIN signal_team st ON st.hid = p.hid
LEFT JOIN handover_pick hp ON hp.hid = p.hid
LEFT JOIN att_ho ho ON ho.id = hp.handover_id
LEFT JOIN newest n ON n.hid = p.hid
"""

APPLY_SQL = {
    "lapsed": """
    UPDATE attention_attentionitem i SET status = 'lapsed', lapsed_at = %(now)s, updated_at = %(now)s,
        checked_on = %(today)s
    WHERE i.municipality_id = %(m)s AND i.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM att_result r WHERE r.hid = i.household_id AND r.team_id IS NOT NULL)""",
    "updated": """
    UPDATE attention_attentionitem i SET reasons = r.reasons, rule_names = r.names, owner_team_id = r.team_id,
        config_version = %(version)s, seen_signal_id = r.newest, updated_at = %(now)s, checked_on = %(today)s
    FROM att_result r
    WHERE i.municipality_id = %(m)s AND i.status = 'open' AND r.hid = i.household_id AND r.team_id IS NOT NULL
      AND (i.reasons <> r.reasons OR i.owner_team_id <> r.team_id OR i.config_version <> %(version)s
           OR i.seen_signal_id <> r.newest)""",
    "checked": """
    UPDATE attention_attentionitem i SET checked_on = %(today)s
    FROM att_result r WHERE i.municipality_id = %(m)s AND i.status = 'open' AND r.hid = i.household_id
      AND i.checked_on <> %(today)s""",
    # The item table's state before this run, read once: a correlated look-up per row would scan the heap
    # the INSERT is growing (its statistics still say "empty"), which is quadratic.
    "held_back": """
    WITH open_now AS MATERIALIZED (
        SELECT household_id FROM attention_attentionitem WHERE municipality_id = %(m)s AND status = 'open'),
    decided AS MATERIALIZED (
        SELECT household_id, max(seen_signal_id) AS seen FROM attention_attentionitem
        WHERE municipality_id = %(m)s AND status IN ('taken_up', 'dismissed') GROUP BY household_id)
    SELECT count(*) FROM att_result r JOIN decided d ON d.household_id = r.hid
    WHERE r.team_id IS NOT NULL AND r.newest <= d.seen
      AND NOT EXISTS (SELECT 1 FROM open_now o WHERE o.household_id = r.hid)""",
    "raised": """
    WITH open_now AS MATERIALIZED (
        SELECT household_id FROM attention_attentionitem WHERE municipality_id = %(m)s AND status = 'open'),
    decided AS MATERIALIZED (
        SELECT household_id, max(seen_signal_id) AS seen FROM attention_attentionitem
        WHERE municipality_id = %(m)s AND status IN ('taken_up', 'dismissed') GROUP BY household_id)
    INSERT INTO attention_attentionitem (municipality_id, household_id, owner_team_id, status, reasons, rule_names,
        config_version, seen_signal_id, raised_at, updated_at, checked_on, decide_by, take_up, decision_note,
        decided_by_label, escalation_level)
    SELECT %(m)s, r.hid, r.team_id, 'open', r.reasons, r.names, %(version)s, r.newest, %(now)s, %(now)s,
           %(today)s, %(decide_by)s, '', '', '', 0
    FROM att_result r LEFT JOIN decided d ON d.household_id = r.hid
    WHERE r.team_id IS NOT NULL AND r.newest > coalesce(d.seen, -1)
      AND NOT EXISTS (SELECT 1 FROM open_now o WHERE o.household_id = r.hid)""",
}


def _params(config: ActiveConfiguration, municipality_id: int, now: datetime) -> dict[str, Any]:
    today = today_of(now)
    return {
        "m": municipality_id,
        "tz": settings.TIME_ZONE,
        "since": start_of_day(today - timedelta(days=widest_window(config.params_by_rule()))),
        "today": today,
        "now": now,
        "decide_by": now + DECIDE_WITHIN,
        "version": config.version,
        "channels": sorted(str(k) for k in CHANNEL_KINDS),
        "arrears": sorted(ARREARS),
        "nuisance": NUISANCE,
        "discharge": DISCHARGE,
        "police": POLICE,
        "versions": "{" + ",".join(f'"{r.name}": {r.version}' for r in RULES) + "}",
    }


# Seconds per step of the last run in this process, for the benchmark's report.
LAST_TIMINGS: dict[str, float] = {}


def _timed(cursor: Any, name: str, statement: str, params: dict[str, Any]) -> None:
    started = time.perf_counter()
    cursor.execute(statement, params)
    LAST_TIMINGS[name] = LAST_TIMINGS.get(name, 0.0) + time.perf_counter() - started


def attention_recompute_sql(*, now: datetime) -> dict[str, int]:
    missing = [rule.name for rule in RULES if rule.name not in RULE_SQL]
    if missing:
        raise RuntimeError(f"The set-based recompute has no statement for {', '.join(missing)}.")
    counts = {"households": 0, "raised": 0, "updated": 0, "lapsed": 0, "held_back": 0}
    LAST_TIMINGS.clear()
    for municipality_id in Municipality.objects.order_by("pk").values_list("pk", flat=True):
        config = configuration_for(municipality_id)
        params = _params(config, municipality_id, now)
        with transaction.atomic(), connection.cursor() as cursor:
            for n, statement in enumerate(PROJECTION_SQL):
                _timed(cursor, f"projection_{n}", statement, params)
            for setting in config.enabled():
                rule_params = {f"p_{k}": v for k, v in setting.params.items()}
                _timed(cursor, f"rule_{setting.rule.name}", RULE_SQL[setting.rule.name], {**params, **rule_params})
            _timed(cursor, "analyze_fire", "ANALYZE att_fire", params)
            _timed(cursor, "result", RESULT_SQL, params)
            cursor.execute("SELECT count(*) FROM att_result WHERE team_id IS NOT NULL")
            counts["households"] += int(cursor.fetchone()[0])
            cursor.execute("CREATE INDEX ON att_result (hid)")
            _timed(cursor, "analyze_result", "ANALYZE att_result", params)
            for key in ("lapsed", "updated"):
                _timed(cursor, key, APPLY_SQL[key], params)
                counts[key] += cursor.rowcount
            _timed(cursor, "checked", APPLY_SQL["checked"], params)
            _timed(cursor, "held_back", APPLY_SQL["held_back"], params)
            counts["held_back"] += int(cursor.fetchone()[0])
            _timed(cursor, "raised", APPLY_SQL["raised"], params)
            counts["raised"] += cursor.rowcount
            cursor.execute("DROP TABLE att_sig, att_plan, att_ho, att_fire, att_result")
    return counts
