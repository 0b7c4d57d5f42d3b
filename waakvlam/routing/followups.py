"""Signal pickup as a follow-up kind: every open signal nobody picked up climbs the ladder after its due time.

  level 1  the coordinators of the owning team's organisation (none: the team); next step +4 working hours
  level 2  the municipality (role municipality: non-personal metadata only; none: the coordinators); +1 working day
  level 3, 4, …  "still stuck": coordinators and municipality again; +1 working day each

The due time (due_at, set by routing at acceptance) never moves; the clock keeps the level and next step.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.core.i18n import dutch
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    Context,
    FollowUpKind,
    History,
    Message,
    Owner,
    Row,
    StuckColumns,
    escalation_ladder,
    local_text,
)
from waakvlam.intake.lifecycle import Action, statuses_from
from waakvlam.intake.models import Category, Signal, SignalEvent, Urgency
from waakvlam.notify.catalogue import register_texts, register_values

# The sweep escalates only what the lifecycle table lets escalate (the open statuses).
ESCALATABLE = statuses_from(Action.ESCALATE)

_CATEGORY_LABELS: dict[str, str] = {}


# Every line _message and the clock write for this kind, for readers of the English interface
# (notify/catalogue.py); tests/notify/test_catalogue.py proves each written line is here.
NOTIFICATION_TEXTS = register_texts(
    gettext_noop("Signaal %(code)s niet op tijd opgepakt (niveau %(level)s)"),
    gettext_noop("Volgcode: %(code)s"),
    gettext_noop("Soort: %(category)s"),
    gettext_noop("Buurt: %(neighbourhood)s"),
    gettext_noop("Team: %(team)s"),
    gettext_noop("Had uiterlijk opgepakt moeten zijn: %(due)s"),
    gettext_noop("Escalatieniveau: %(level)s; volgende stap als het niet is opgepakt: %(next)s"),
    gettext_noop("%(n)s signalen niet op tijd opgepakt"),
    gettext_noop("Deze signalen zijn niet op tijd opgepakt en naar jou geëscaleerd:"),
)
STEP_NOTES = register_values(
    gettext_noop("coördinator ingeschakeld"),
    gettext_noop("gemeente ingeschakeld"),
    gettext_noop("nog steeds niet opgepakt; coördinator en gemeente opnieuw ingeschakeld"),
)


def category_label(code: str) -> str:
    """The category's Dutch name: notifications and the stuck page speak Dutch whatever the request."""
    if not _CATEGORY_LABELS:
        _CATEGORY_LABELS.update({str(value): dutch(label) for value, label in Category.choices})
    return _CATEGORY_LABELS.get(code, code)


def _message(row: Row, level: int, ctx: Context) -> Message:
    """Non-personal metadata only: never description, address or reporter."""
    body = (
        f"Volgcode: {row['tracking_code']}\n"
        f"Soort: {category_label(row['category'])}\n"
        f"Buurt: {ctx.name('neighbourhood', row['neighbourhood_id'])}\n"
        f"Team: {ctx.name('team', row['owner_team_id'])}\n"
        f"Had uiterlijk opgepakt moeten zijn: {local_text(row['due_at'], ctx.zone)}\n"
        f"Escalatieniveau: {level}; volgende stap als het niet is opgepakt: {ctx.next_step_text(level)}"
    )
    subject = f"Signaal {row['tracking_code']} niet op tijd opgepakt (niveau {level})"
    return Message(subject, body, urgent=_urgent(row))


def _urgent(row: Row) -> bool:
    return bool(row["urgency"] == Urgency.HIGH)


SIGNAL_PICKUP = FollowUpKind(
    name="signal_pickup",
    label="signalen",
    model=Signal,
    open=Q(status__in=ESCALATABLE, picked_up_at__isnull=True),
    late=lambda now: Q(due_at__lt=now),
    due="due_at",
    owner=Owner(person="owner_user_id", team="owner_team_id"),
    ladder=escalation_ladder(
        coordinator="coördinator ingeschakeld",
        coordinator_after=timedelta(hours=4),
        still_stuck="nog steeds niet opgepakt; coördinator en gemeente opnieuw ingeschakeld",
        every=DEFAULT_CALENDAR.working_day,
    ),
    message=_message,
    urgent=_urgent,
    history=History(SignalEvent, "signal_id", columns=lambda row: {"team_id": row["owner_team_id"]}),
    title=_("Signalen"),
    object_type="intake.signal",
    stuck=StuckColumns(
        ref="tracking_code",
        team="owner_team__name",
        area="neighbourhood__name",
        what="category",
        what_label=category_label,
    ),
    ref=lambda row, ctx: str(row["tracking_code"]),
    fields=("tracking_code", "category", "urgency", "neighbourhood_id"),
    prefetch=(("team", "owner_team_id"), ("neighbourhood", "neighbourhood_id")),
    link_name="intake:signal_detail",
    notification_kind="signal_escalated",
    dedupe_prefix="escalate",
    on_escalate=lambda now: {"updated_at": now},
    summary_subject="{n} signalen niet op tijd opgepakt",
    summary_intro="Deze signalen zijn niet op tijd opgepakt en naar jou geëscaleerd:",
    # The access log's words for this sweep since before the clock was shared: searches keep finding it.
    log_actor="deadlines_sweep",
    log_context="sweep:deadlines",
)
