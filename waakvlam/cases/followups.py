"""An open task past its due date as a follow-up kind: it climbs the ladder until its owner settles it.

  level 1  the owning person (none, or no longer active: the owning organisation's coordinators); +1 working day
  level 2  the coordinators of the owning organisation (none: the municipality, then its admins); +1 working day
  level 3  the municipality (role municipality: non-personal metadata only); +1 working day
  level 4, …  "still stuck": coordinators and municipality again; +1 working day each

The due time (due_at, the end of due_on) is set once when the task is given and never moved; a task always
has an owning organisation (models.Task, constraint task_has_owner), so the ladder always has an owner.
The notification names the task's reference, owning organisation, due date and level — for a case task never
the resident, the household or the task's own text (which may name them); for an area-meeting task the
neighbourhood as well, since an area meeting is about a neighbourhood and nobody in it.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.cases.models import Task, TaskEvent
from waakvlam.cases.workflow import TaskStatus
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    OWNER,
    Context,
    FollowUpKind,
    History,
    Message,
    Owner,
    Row,
    Step,
    StuckColumns,
    escalation_ladder,
)
from waakvlam.notify.catalogue import register_texts, register_values

DAY = DEFAULT_CALENDAR.working_day
NEIGHBOURHOOD = "area_meeting__neighbourhood_id"


# Every line _message and the clock write for this kind, for readers of the English interface
# (notify/catalogue.py); tests/notify/test_catalogue.py proves each written line is here.
NOTIFICATION_TEXTS = register_texts(
    gettext_noop("%(task)s: niet op tijd afgerond (niveau %(level)s)"),
    gettext_noop("Taak uit het casusoverleg, uiterlijk klaar %(due)s"),
    gettext_noop("Taak uit het gebiedsoverleg in %(neighbourhood)s, uiterlijk klaar %(due)s"),
    # Notifications written before tasks were named by where they come from still show in English.
    gettext_noop("Taak %(n)s niet op tijd afgerond (niveau %(level)s)"),
    gettext_noop("Kenmerk: %(ref)s (%(source)s)"),
    gettext_noop("Taak %(n)s"),
    gettext_noop("Buurt: %(neighbourhood)s"),
    gettext_noop("Organisatie: %(organisation)s"),
    gettext_noop("Had uiterlijk klaar moeten zijn: %(due)s"),
    gettext_noop("Escalatieniveau: %(level)s; volgende stap als de taak niet is afgerond: %(next)s"),
    gettext_noop("%(n)s taken niet op tijd afgerond"),
    gettext_noop("Deze taken zijn niet op tijd afgerond en naar jou geëscaleerd:"),
)
STEP_NOTES = register_values(
    gettext_noop("gebiedsoverleg"),
    gettext_noop("casusoverleg"),
    gettext_noop("eigenaar herinnerd"),
    gettext_noop("coördinator van de organisatie ingeschakeld"),
    gettext_noop("gemeente ingeschakeld"),
    gettext_noop("nog steeds niet afgerond; coördinator en gemeente opnieuw ingeschakeld"),
)


def task_ref(row: Row, ctx: Context) -> str:
    """A task as its reader recognises it, not by a counter id: where it was agreed and when it was due. Never
    its title, which may name the resident."""
    due = f"{row['due_on']:%d-%m-%Y}"
    if row["area_meeting_id"] is None:
        return f"Taak uit het casusoverleg, uiterlijk klaar {due}"
    return f"Taak uit het gebiedsoverleg in {ctx.name('neighbourhood', row[NEIGHBOURHOOD])}, uiterlijk klaar {due}"


def _message(row: Row, level: int, ctx: Context) -> Message:
    """Non-personal metadata only: never the title, what "done" means, the resident or the household."""
    from_area = row["area_meeting_id"] is not None
    area = f"Buurt: {ctx.name('neighbourhood', row[NEIGHBOURHOOD])}\n" if from_area else ""
    body = (
        f"{area}"
        f"Organisatie: {ctx.name('organisation', row['owner_organisation_id'])}\n"
        f"Had uiterlijk klaar moeten zijn: {row['due_on']:%d-%m-%Y}\n"
        f"Escalatieniveau: {level}; volgende stap als de taak niet is afgerond: {ctx.next_step_text(level)}"
    )
    return Message(f"{task_ref(row, ctx)}: niet op tijd afgerond (niveau {level})", body)


CASE_TASK = FollowUpKind(
    name="case_task",
    label="taken",
    model=Task,
    open=Q(status=TaskStatus.OPEN),
    late=lambda now: Q(due_at__lt=now),
    due="due_at",
    owner=Owner(person="owner_user_id", organisation="owner_organisation_id"),
    ladder=escalation_ladder(
        first=Step((OWNER,), "eigenaar herinnerd", DAY, "to_owner"),
        coordinator="coördinator van de organisatie ingeschakeld",
        still_stuck="nog steeds niet afgerond; coördinator en gemeente opnieuw ingeschakeld",
        every=DAY,
    ),
    message=_message,
    history=History(TaskEvent, "task_id"),
    title=_("Taken uit casus- en gebiedsoverleg"),
    object_type="cases.task",
    stuck=StuckColumns(ref="public_id", team="owner_organisation__name", area="area_meeting__neighbourhood__name"),
    ref=task_ref,
    fields=("due_on", "area_meeting_id", NEIGHBOURHOOD),
    prefetch=(("organisation", "owner_organisation_id"), ("neighbourhood", NEIGHBOURHOOD)),
    link_name="cases:task_detail",
    link_field="public_id",
    notification_kind="task_overdue",
    summary_subject="{n} taken niet op tijd afgerond",
    summary_intro="Deze taken zijn niet op tijd afgerond en naar jou geëscaleerd:",
)
