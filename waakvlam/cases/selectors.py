"""Who sees which case conference, which part of it, which area meeting and which task. Every read goes
through these querysets; a view or endpoint fetches with privacy.permissions.get_visible_or_404.

- A case conference is seen by its participants and by the coordinators of the convening organisation.
  Each participant sees the case itself (who takes part, decisions, tasks, minutes) and, beyond that, only
  the scopes their recorded basis allows: the signals on the agenda, the contact plan, the early-warning
  plan. The municipality never sees a case's content, only counts and lead times (`case_figures`).
- An area meeting holds no personal data: coordinators and the municipality of its municipality see it,
  and the users of each organisation that owns one of its tasks.
- A task is seen by whoever sees its parent, and by the users of its owning organisation.
- A partner system's API key (core/apikeys.py) sees with `cases:read` the outline of the cases its
  organisation takes part in (convened, or a participant of it invited) and none of the scoped parts: a
  basis for sharing is recorded per person, never for a system. With `tasks:read` it sees the tasks its
  organisation owns. Without the scope: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from waakvlam.cases.models import AreaMeeting, CaseConference, Participant, Scope, Task
from waakvlam.cases.workflow import MeetingStatus, TaskStatus
from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, User
from waakvlam.core.roles import WORK_ROLES, Role
from waakvlam.households.linking import household_subject
from waakvlam.households.services import resident_subject

# Roles that can be invited, own tasks and act on them: professionals of an organisation.
AREA_ROLES = frozenset({Role.COORDINATOR, Role.MUNICIPALITY})


def _works(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation_id and user.role in WORK_ROLES)


def conference_subject(conference: CaseConference) -> str:
    """The access log's "about whom": the resident when the case is about one, else the household's address."""
    if conference.resident_id:
        return resident_subject(conference.resident_id)
    return household_subject(conference.household)


# --- case conferences ------------------------------------------------------------------------------------------


def conferences_visible_to(user: User) -> QuerySet[CaseConference]:
    if not _works(user):
        return CaseConference.objects.none()
    mine = Participant.objects.filter(conference=OuterRef("pk"), user=user)
    q = Q(Exists(mine))
    if user.role == Role.COORDINATOR:
        q |= Q(organisation_id=user.organisation_id)
    return CaseConference.objects.filter(q)


def conferences_visible_to_key(api_key: ApiKey) -> QuerySet[CaseConference]:
    """The cases the key's organisation takes part in; their outline only (scopes_of gives a key none)."""
    if scopes.CASES_READ not in api_key.scopes:
        return CaseConference.objects.none()
    takes_part = Participant.objects.filter(conference=OuterRef("pk"), organisation_id=api_key.organisation_id)
    return CaseConference.objects.filter(Q(organisation_id=api_key.organisation_id) | Q(Exists(takes_part)))


def conferences_managed_by(user: User) -> QuerySet[CaseConference]:
    """Cases the user may run (invite, record decisions and minutes, give tasks, close): the convener, the
    director, and the coordinators of the convening organisation."""
    if not _works(user):
        return CaseConference.objects.none()
    director = Participant.objects.filter(conference=OuterRef("pk"), user=user, is_director=True)
    q = Q(convened_by=user) | Q(Exists(director))
    if user.role == Role.COORDINATOR:
        q |= Q(organisation_id=user.organisation_id)
    return CaseConference.objects.filter(q)


def conference_may_manage(user: User, conference: CaseConference) -> bool:
    return conferences_managed_by(user).filter(pk=conference.pk).exists()


def scopes_of(user: User, conference: CaseConference) -> set[str]:
    """The parts of the case beyond its outline that `user` may see. Coordinators of the convening
    organisation keep the case and see all of it; a participant sees what their basis allows."""
    if user.role == Role.COORDINATOR and user.organisation_id == conference.organisation_id:
        return set(Scope.values)
    participant = Participant.objects.filter(conference=conference, user=user).first()
    if participant is None:
        return set()
    return {scope for scope in Scope.values if participant.sees(scope)}


def conferences_with_scope(user: User, scope: str) -> QuerySet[CaseConference]:
    """The visible cases of which `user` may see `scope`: what a scoped page fetches from (404 otherwise)."""
    if scope not in Scope.values:
        return CaseConference.objects.none()
    granted = Participant.objects.filter(conference=OuterRef("pk"), user=user, **{f"sees_{scope}": True})
    q = Q(Exists(granted))
    if user.role == Role.COORDINATOR:
        q |= Q(organisation_id=user.organisation_id)
    return conferences_visible_to(user).filter(q)


# --- area meetings ---------------------------------------------------------------------------------------------


def area_meetings_visible_to(user: User) -> QuerySet[AreaMeeting]:
    if not user.is_authenticated or not user.organisation_id:
        return AreaMeeting.objects.none()
    if user.role in AREA_ROLES:
        return AreaMeeting.objects.filter(municipality_id=user.municipality_id)
    if user.role in WORK_ROLES:
        owns = Task.objects.filter(area_meeting=OuterRef("pk"), owner_organisation_id=user.organisation_id)
        return AreaMeeting.objects.filter(Exists(owns))
    return AreaMeeting.objects.none()


def area_meetings_managed_by(user: User) -> QuerySet[AreaMeeting]:
    if not user.is_authenticated or user.role not in AREA_ROLES:
        return AreaMeeting.objects.none()
    return AreaMeeting.objects.filter(municipality_id=user.municipality_id)


# --- tasks -----------------------------------------------------------------------------------------------------


def tasks_visible_to(user: User) -> QuerySet[Task]:
    if not user.is_authenticated or not user.organisation_id:
        return Task.objects.none()
    q = Q(area_meeting__in=area_meetings_visible_to(user).values("pk"))
    if _works(user):
        q |= Q(conference__in=conferences_visible_to(user).values("pk")) | Q(owner_user=user)
        q |= Q(owner_organisation_id=user.organisation_id)
    return Task.objects.filter(q)


def tasks_visible_to_key(api_key: ApiKey) -> QuerySet[Task]:
    """The tasks the key's organisation owns, of case conferences and area meetings alike."""
    if scopes.TASKS_READ not in api_key.scopes:
        return Task.objects.none()
    return Task.objects.filter(owner_organisation_id=api_key.organisation_id)


def tasks_actionable_by(user: User) -> QuerySet[Task]:
    """Tasks the user may mark done or drop: their own, their organisation's, and those of the cases and
    area meetings they run."""
    if not user.is_authenticated or not user.organisation_id:
        return Task.objects.none()
    q = Q(area_meeting__in=area_meetings_managed_by(user).values("pk"))
    if _works(user):
        q |= Q(owner_user=user) | Q(owner_organisation_id=user.organisation_id)
        q |= Q(conference__in=conferences_managed_by(user).values("pk"))
    return Task.objects.filter(q)


def open_tasks() -> QuerySet[Task]:
    """Every open task, for the follow-up clock ("task overdue" is a kind on it): owner and due time set."""
    return Task.objects.filter(status=TaskStatus.OPEN)


def tasks_for_inbox(user: User) -> QuerySet[Task]:
    """The "Taken" screen: open tasks the user owns, or their organisation owns without a person yet."""
    if not user.is_authenticated or not user.organisation_id or user.role not in WORK_ROLES:
        return Task.objects.none()
    mine = Q(owner_user=user) | Q(owner_organisation_id=user.organisation_id, owner_user__isnull=True)
    return open_tasks().filter(mine).order_by("due_on", "pk")


def task_subject(task: Task) -> str:
    """A case task is about the case's resident or household; an area-meeting task about no one."""
    if task.conference_id is None:
        return ""
    return conference_subject(task.conference)  # type: ignore[arg-type]


# --- the municipality's figures: counts and lead times, never content --------------------------------------------


@dataclass(frozen=True)
class CaseFigures:
    conferences_open: int
    conferences_closed: int
    tasks_open: int
    tasks_overdue: int
    tasks_done: int
    tasks_dropped: int
    median_days_to_done: float | None
    median_days_case_open: float | None


def case_figures(municipality_id: int, now: datetime | None = None) -> CaseFigures:
    now = now or timezone.now()
    cases = CaseConference.objects.filter(municipality_id=municipality_id)
    tasks = Task.objects.filter(municipality_id=municipality_id, conference__isnull=False)
    done = list(tasks.filter(status=TaskStatus.DONE).values_list("created_at", "settled_at"))
    closed = list(cases.filter(status=MeetingStatus.CLOSED).values_list("created_at", "closed_at"))
    return CaseFigures(
        conferences_open=cases.filter(status=MeetingStatus.OPEN).count(),
        conferences_closed=len(closed),
        tasks_open=tasks.filter(status=TaskStatus.OPEN).count(),
        tasks_overdue=tasks.filter(status=TaskStatus.OPEN, due_at__lt=now).count(),
        tasks_done=len(done),
        tasks_dropped=tasks.filter(status=TaskStatus.DROPPED).count(),
        median_days_to_done=_median_days(done),
        median_days_case_open=_median_days(closed),
    )


def _median_days(pairs: list[tuple[datetime, datetime | None]]) -> float | None:
    spans = [(end - start).total_seconds() / 86400 for start, end in pairs if end is not None]
    return round(median(spans), 1) if spans else None
