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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from waakvlam.attention.configuration import ActiveConfiguration, configuration_for
from waakvlam.attention.definitions import ARREARS, DISCHARGE, NUISANCE, RULES, RULES_BY_NAME, widest_window
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
    # Temporary tables have no statistics until analysed; without them the planner guesses badly.
    "ANALYZE att_sig, att_plan, att_ho",
]


@dataclass(frozen=True)
class RuleSQL:
    """A rule in the one grouped pass over the projected signals. `member`: this signal is evidence of the
    rule (per row of att_sig `s`, with the household's overdue plans `op` and last contact `c` beside it);
    `fire`: the rule fires on the household's signals (an aggregate over its rows, which may read the
    member columns m_<rule>); `fire_also`: it fires without them (per household); `facts`: the pilot-light
    facts it names (json per household: `op` overdue plans, `lh` late handovers). %(<rule>__<param>)s are
    the rule's configured parameters."""

    member: str
    fire: str
    fire_also: str = "false"
    facts: str = "NULL::json"


def _within(rule: str, param: str = "window_days") -> str:
    """ "Within the last N days": d BETWEEN today - (N - 1) AND today, as definitions._within."""
    return f"s.d BETWEEN %(today)s::date - (%({rule}__{param})s - 1) AND %(today)s::date"


RULE_SQL: dict[str, RuleSQL] = {
    "multiple_sources": RuleSQL(
        member=_within("multiple_sources"),
        fire="count(DISTINCT s.source) FILTER (WHERE m_multiple_sources) >= %(multiple_sources__min_sources)s",
    ),
    "arrears_and_nuisance": RuleSQL(
        member=f"{_within('arrears_and_nuisance')} AND (s.category = ANY(%(arrears)s) OR s.category = %(nuisance)s)",
        fire="coalesce(bool_or(s.category = ANY(%(arrears)s)) FILTER (WHERE m_arrears_and_nuisance), false)"
        " AND coalesce(bool_or(s.category = %(nuisance)s) FILTER (WHERE m_arrears_and_nuisance), false)",
    ),
    "signal_while_contact_overdue": RuleSQL(
        member=f"op.since IS NOT NULL AND s.d > op.since AND {_within('signal_while_contact_overdue', 'recent_days')}",
        fire="coalesce(bool_or(m_signal_while_contact_overdue), false)",
        facts="op.facts",
    ),
    "discharge_without_first_contact": RuleSQL(
        member=f"s.category = %(discharge)s AND {_within('discharge_without_first_contact')}"
        " AND s.d + %(discharge_without_first_contact__grace_days)s < %(today)s::date"
        " AND (c.last IS NULL OR c.last < s.d)",
        fire="coalesce(bool_or(m_discharge_without_first_contact), false)",
        fire_also="lh.facts IS NOT NULL",
        facts="lh.facts",
    ),
    "repeated_police": RuleSQL(
        member=f"s.source = %(police)s AND {_within('repeated_police')}",
        fire="count(*) FILTER (WHERE m_repeated_police) >= %(repeated_police__min_count)s",
    ),
}

# Per household, once: the overdue contact plans (signal_while_contact_overdue), the last contact made
# (discharge_without_first_contact), the warm handovers whose first contact is late (the same rule), and
# the team of the newest active contact plan (engine.owner_team_of).
HOUSEHOLD_STATE_SQL = [
    """CREATE TEMP TABLE att_op ON COMMIT DROP AS
    SELECT hid, min(next_contact_due) + %(signal_while_contact_overdue__grace_days)s AS since,
           json_agg(json_build_object('kind', 'contact_plan', 'id', id,
                                      'date', to_char(next_contact_due, 'YYYY-MM-DD')) ORDER BY id)::text AS facts
    FROM att_plan WHERE active AND next_contact_due + %(signal_while_contact_overdue__grace_days)s < %(today)s
    GROUP BY hid""",
    """CREATE TEMP TABLE att_contact ON COMMIT DROP AS
    SELECT hid, max(x) AS last FROM (
        SELECT hid, last_contact_on AS x FROM att_plan UNION ALL SELECT hid, first_contact_on FROM att_ho
    ) u WHERE x IS NOT NULL GROUP BY hid""",
    """CREATE TEMP TABLE att_lh ON COMMIT DROP AS
    SELECT hid, max(id) AS handover_id,
           json_agg(json_build_object('kind', 'handover', 'id', id,
                                      'date', to_char(first_contact_due, 'YYYY-MM-DD')) ORDER BY id)::text AS facts
    FROM att_ho WHERE open AND first_contact_on IS NULL AND first_contact_due < %(today)s GROUP BY hid""",
    """CREATE TEMP TABLE att_plan_team ON COMMIT DROP AS
    SELECT DISTINCT ON (hid) hid, team_id FROM att_plan WHERE active AND team_id IS NOT NULL ORDER BY hid, id DESC""",
    "ANALYZE att_op, att_contact, att_lh, att_plan_team",
]


def fire_sql(rules: list[str]) -> str:
    """Which of these (enabled) rules fire per household, in one grouped pass over the projected signals,
    and per rule the newest signal it fired on (by date, then id) with its owning team. Only households
    where a rule fires are kept."""
    names = sorted(rules)
    member = "".join(f",\n           ({RULE_SQL[r].member}) AS m_{r}" for r in names)
    grouped = "".join(
        f",\n           {RULE_SQL[r].fire} AS g_{r}, max(s.top) FILTER (WHERE m_{r}) AS t_{r}" for r in names
    )
    fired = "".join(f",\n           coalesce(g.g_{r}, false) OR {RULE_SQL[r].fire_also} AS f_{r}" for r in names)
    newest = ", ".join(f"CASE WHEN f_{r} THEN t_{r} END" for r in names)
    return f"""
CREATE TEMP TABLE att_fire ON COMMIT DROP AS
WITH m AS (
    SELECT s.hid, s.source, s.category,
           ARRAY[s.d - DATE '2000-01-01', s.id, s.owner_team_id]::bigint[] AS top{member}
    FROM att_sig s LEFT JOIN att_op op ON op.hid = s.hid LEFT JOIN att_contact c ON c.hid = s.hid
), g AS (
    SELECT s.hid{grouped}
    FROM m s GROUP BY s.hid
), f AS (
    SELECT coalesce(g.hid, lh.hid) AS hid, lh.handover_id, {", ".join(f"g.t_{r}" for r in names)}{fired}
    FROM g FULL JOIN att_lh lh ON lh.hid = g.hid
)
SELECT f.*, greatest({newest}) AS top FROM f WHERE {" OR ".join(f"f_{r}" for r in names)}"""  # noqa: S608 - names and fragments from RULE_SQL


def result_sql(rules: list[str]) -> str:
    """Per household where a rule fires: the reasons as the item shows them (engine.reasons_of: rules by
    name, each with its signals by date and id, and its facts), the owning team (engine.owner_team_of: the
    newest active contact plan's, else the newest signal fired on, else the newest late handover's), and
    the household's newest counted signal of any date (an index-only look-up, migration 0004).

    Each signal's evidence is written once, as JSON text (DateStyle ISO: d::text is YYYY-MM-DD), in the one
    pass over the signals of these households, sorted by household, date and id: the string_agg()s read
    that order (no sort per household and rule)."""
    names = sorted(rules)
    member = "".join(f",\n               ({RULE_SQL[r].member}) AND f.f_{r} AS m_{r}" for r in names)
    evidence = "".join(f",\n           string_agg(s.ev, ',') FILTER (WHERE m_{r}) AS e_{r}" for r in names)
    reasons = ",\n               ".join(
        f"""CASE WHEN f.f_{r} THEN '{{"rule": "{r}", "version": {RULES_BY_NAME[r].version}, "signals": ['"""
        f" || coalesce(e.e_{r}, '') || '], \"facts\": ' || coalesce({RULE_SQL[r].facts}::text, '[]') || '}}' END"
        for r in names
    )
    rule_names = ", ".join(f"CASE WHEN f.f_{r} THEN '{r}' END" for r in names)
    handover = (
        "CASE WHEN f.f_discharge_without_first_contact THEN f.handover_id END"
        if "discharge_without_first_contact" in names
        else "NULL::bigint"
    )
    return f"""
CREATE TEMP TABLE att_result ON COMMIT DROP AS
WITH e AS (
    SELECT s.hid{evidence}
    FROM (
        SELECT s.hid, '{{"id": ' || s.id || ', "tracking_code": ' || to_json(s.tracking_code::text)
                      || ', "date": "' || s.d || '", "source": ' || to_json(s.source::text)
                      || ', "category": ' || to_json(s.category::text) || '}}' AS ev{member}
        FROM att_sig s JOIN att_fire f ON f.hid = s.hid
             LEFT JOIN att_op op ON op.hid = s.hid LEFT JOIN att_contact c ON c.hid = s.hid
        ORDER BY s.hid, s.d, s.id
    ) s GROUP BY s.hid
)
SELECT f.hid,
       ('[' || array_to_string(ARRAY[{reasons}], ',') || ']')::jsonb AS reasons,
       array_to_string(ARRAY[{rule_names}], ',') AS names,
       CASE WHEN pt.team_id IS NOT NULL THEN pt.team_id
            WHEN f.top IS NOT NULL THEN f.top[3]
            ELSE ho.receiving_team_id END AS team_id,
       coalesce((SELECT max(n.id) FROM intake_signal n
                 WHERE n.household_id = f.hid AND n.outcome <> 'duplicate'), 0) AS newest
FROM att_fire f LEFT JOIN e ON e.hid = f.hid LEFT JOIN att_op op ON op.hid = f.hid
     LEFT JOIN att_lh lh ON lh.hid = f.hid LEFT JOIN att_plan_team pt ON pt.hid = f.hid
     LEFT JOIN att_ho ho ON ho.id = {handover}
"""  # noqa: S608 - names and fragments from RULE_SQL


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
        decided_by_label, escalation_level, public_id)
    SELECT %(m)s, r.hid, r.team_id, 'open', r.reasons, r.names, %(version)s, r.newest, %(now)s, %(now)s,
           %(today)s, %(decide_by)s, '', '', '', 0, gen_random_uuid()
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
        **{f"{r.rule.name}__{k}": v for r in config.rules for k, v in r.params.items()},
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
            # Sorts and hashes of a million households stay in memory; compiling them costs more than it saves.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL DateStyle = 'ISO'")
            for n, statement in enumerate([*PROJECTION_SQL, *HOUSEHOLD_STATE_SQL]):
                _timed(cursor, f"projection_{n}", statement, params)
            enabled = [setting.rule.name for setting in config.enabled()]
            if enabled:
                _timed(cursor, "fire", fire_sql(enabled), params)
                _timed(cursor, "analyze_fire", "ANALYZE att_fire (hid)", params)
                _timed(cursor, "result", result_sql(enabled), params)
            else:  # every rule switched off: every open item lapses
                cursor.execute("CREATE TEMP TABLE att_fire (hid bigint) ON COMMIT DROP")
                cursor.execute(
                    "CREATE TEMP TABLE att_result (hid bigint, reasons jsonb, names text, team_id bigint,"
                    " newest bigint) ON COMMIT DROP"
                )
            cursor.execute("SELECT count(*) FROM att_result WHERE team_id IS NOT NULL")
            counts["households"] += int(cursor.fetchone()[0])
            cursor.execute("CREATE INDEX ON att_result (hid)")
            # Not the reasons: statistics on a large jsonb column cost more than the statements gain.
            _timed(cursor, "analyze_result", "ANALYZE att_result (hid, team_id, newest)", params)
            for key in ("lapsed", "updated"):
                _timed(cursor, key, APPLY_SQL[key], params)
                counts[key] += cursor.rowcount
            _timed(cursor, "checked", APPLY_SQL["checked"], params)
            _timed(cursor, "held_back", APPLY_SQL["held_back"], params)
            counts["held_back"] += int(cursor.fetchone()[0])
            _timed(cursor, "raised", APPLY_SQL["raised"], params)
            counts["raised"] += cursor.rowcount
            cursor.execute(
                "DROP TABLE att_sig, att_plan, att_ho, att_op, att_contact, att_lh, att_plan_team, att_fire, att_result"
            )
    return counts
