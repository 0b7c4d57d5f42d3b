"""A decision on an attention item as a follow-up kind: someone must take it up or dismiss it by `decide_by`.

  level 1  the owning team's active members; +1 working day
  level 2  the coordinators of the team's organisation (none: the team again, then the municipality); +1 working day
  level 3  the municipality (role municipality: metadata only, never the household); +1 working day
  level 4, …  "still stuck": coordinators and municipality again; +1 working day each

decide_by is set when the item is raised and never moved. An item that is taken up, dismissed or lapsed is no
longer open and never escalates. The notification names the item's reference, team, deadline and level:
never the household, its address or the signals behind it (those are on the item's page, behind the checks).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.attention.models import AttentionEvent, AttentionItem, ItemStatus
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    TEAM,
    Context,
    FollowUpKind,
    History,
    Message,
    Owner,
    Row,
    Step,
    StuckColumns,
    escalation_ladder,
    local_text,
)
from waakvlam.notify.catalogue import register_texts, register_values

DAY = DEFAULT_CALENDAR.working_day


# Every line _message and the clock write for this kind, for readers of the English interface
# (notify/catalogue.py); tests/notify/test_catalogue.py proves each written line is here.
NOTIFICATION_TEXTS = register_texts(
    gettext_noop("%(item)s: niet op tijd besloten (niveau %(level)s)"),
    gettext_noop("Aandachtspunt voor %(team)s, besluiten uiterlijk %(due)s"),
    # Notifications written before items were named by team and date still show in English.
    gettext_noop("Aandachtspunt %(n)s: niet op tijd besloten (niveau %(level)s)"),
    gettext_noop("Aandachtspunt %(n)s"),
    gettext_noop("Kenmerk: %(ref)s"),
    gettext_noop("Team: %(team)s"),
    gettext_noop("Had uiterlijk besloten moeten zijn (oppakken of afwijzen): %(due)s"),
    gettext_noop("Escalatieniveau: %(level)s; volgende stap als er niet is besloten: %(next)s"),
    gettext_noop("%(n)s aandachtspunten: niet op tijd besloten"),
    gettext_noop("Over deze aandachtspunten is niet op tijd besloten:"),
)
STEP_NOTES = register_values(
    gettext_noop("team herinnerd"),
    gettext_noop("coördinator ingeschakeld"),
    gettext_noop("gemeente ingeschakeld"),
    gettext_noop("nog steeds niet besloten; coördinator en gemeente opnieuw ingeschakeld"),
)


def item_ref(row: Row, ctx: Context) -> str:
    """An item as its team knows it: whose decision it waits for and by when, never a counter id."""
    return (
        f"Aandachtspunt voor {ctx.name('team', row['owner_team_id'])}, "
        f"besluiten uiterlijk {local_text(row['decide_by'], ctx.zone)}"
    )


def _message(row: Row, level: int, ctx: Context) -> Message:
    body = (
        f"Team: {ctx.name('team', row['owner_team_id'])}\n"
        f"Had uiterlijk besloten moeten zijn (oppakken of afwijzen): {local_text(row['decide_by'], ctx.zone)}\n"
        f"Escalatieniveau: {level}; volgende stap als er niet is besloten: {ctx.next_step_text(level)}"
    )
    return Message(f"{item_ref(row, ctx)}: niet op tijd besloten (niveau {level})", body)


ATTENTION_DECISION = FollowUpKind(
    name="attention_decision",
    label="aandachtspunten",
    model=AttentionItem,
    open=Q(status=ItemStatus.OPEN),
    late=lambda now: Q(decide_by__lt=now),
    due="decide_by",
    owner=Owner(team="owner_team_id"),
    ladder=escalation_ladder(
        first=Step((TEAM,), "team herinnerd", DAY, "to_team"),
        coordinator="coördinator ingeschakeld",
        still_stuck="nog steeds niet besloten; coördinator en gemeente opnieuw ingeschakeld",
        every=DAY,
    ),
    message=_message,
    history=History(AttentionEvent, "item_id"),
    title=_("Aandachtspunten"),
    object_type="attention.attentionitem",
    stuck=StuckColumns(ref="public_id", team="owner_team__name"),
    ref=item_ref,
    prefetch=(("team", "owner_team_id"),),
    link_name="attention:detail",
    link_field="public_id",
    notification_kind="attention_overdue",
    summary_subject="{n} aandachtspunten: niet op tijd besloten",
    summary_intro="Over deze aandachtspunten is niet op tijd besloten:",
)
