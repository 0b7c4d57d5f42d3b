"""Who may see which signals. Every read of signals goes through these querysets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, User
from waakvlam.core.roles import Role
from waakvlam.intake.codes import tracking_code_normalise
from waakvlam.intake.models import Signal, SourceKind, Status


def signal_visibility(user: User) -> Q:
    """Need to know: the owning team's members, the owner, and coordinators of the owning organisation."""
    if not user.is_authenticated or not user.organisation_id:
        return Q(pk__in=[])
    if user.role in {Role.STEWARD, Role.PARTNER}:
        return Q(owner_team__members=user) | Q(owner_user=user)
    if user.role == Role.COORDINATOR:
        return Q(owner_team__organisation_id=user.organisation_id)
    return Q(pk__in=[])


def signals_visible_to(user: User) -> QuerySet[Signal]:
    return Signal.objects.filter(signal_visibility(user)).distinct()


def signals_reported_by(user: User) -> QuerySet[Signal]:
    """A signaller's own reports; the page shows status only, never owner, text or outcome (the tracking rule)."""
    return Signal.objects.filter(reporter_user=user).only(
        "tracking_code", "category", "status", "picked_up_at", "received_at", "updated_at"
    )


def signal_subject(signal: Signal) -> str:
    """What the access log records as "about whom": the address, until households exist as their own record."""
    return f"address:{signal.address_id}" if signal.address_id else f"signal:{signal.pk}"


def signals_visible_to_caller(request: HttpRequest) -> QuerySet[Signal]:
    """For the API: a partner key sees the signals its own organisation owns; a session user as in the UI."""
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        if scopes.SIGNALS_READ not in api_key.scopes:
            return Signal.objects.none()
        return Signal.objects.filter(owner_team__organisation_id=api_key.organisation_id)
    return signals_visible_to(request.user)  # type: ignore[arg-type]


def signal_full_text_visible(caller: User | ApiKey | None, signal: Signal) -> bool:
    """The owning team sees what was written as it was written; anyone else who may see the signal gets the
    masked description (names, phone numbers, BSNs and e-mail addresses replaced)."""
    if isinstance(caller, ApiKey):
        return signal.owner_team.organisation_id == caller.organisation_id
    if caller is None or not caller.is_authenticated or not caller.organisation_id:
        return False
    if signal.owner_user_id == caller.pk:
        return True
    if caller.role == Role.COORDINATOR and signal.owner_team.organisation_id == caller.organisation_id:
        return True
    return signal.owner_team.members.filter(pk=caller.pk).exists()


def caller_of(request: HttpRequest) -> User | ApiKey | None:
    api_key = getattr(request, "api_key", None)
    if isinstance(api_key, ApiKey):
        return api_key
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


@dataclass(frozen=True)
class SignalFilters:
    status: str = ""
    category: str = ""
    neighbourhood: str = ""  # CBS code
    owner: str = ""  # team id or username
    overdue: bool | None = None
    received_from: date | None = None  # first day, inclusive, in the local calendar
    received_to: date | None = None  # last day, inclusive
    text: str = ""  # a tracking code or the partner's own reference (external id)


def _local_midnight(day: date) -> datetime:
    # Days count in the municipality's zone (WAAKVLAM_TIME_ZONE), as deadlines do, not in UTC.
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def signals_filtered(visible: QuerySet[Signal], filters: SignalFilters, *, now: datetime) -> QuerySet[Signal]:
    """Narrow an already permission-scoped queryset; the filters never widen it."""
    qs = visible
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.neighbourhood:
        qs = qs.filter(neighbourhood__code=filters.neighbourhood.upper())
    if filters.owner:
        owner = filters.owner.strip()
        if owner.isdigit():
            qs = qs.filter(owner_team_id=int(owner)) if len(owner) < 18 else qs.none()
        else:
            qs = qs.filter(owner_user__username=owner)
    overdue = Q(picked_up_at__isnull=True, due_at__lt=now) & ~Q(status=Status.CLOSED)
    if filters.overdue is True:
        qs = qs.filter(overdue)
    elif filters.overdue is False:
        qs = qs.exclude(overdue)
    if filters.received_from is not None:
        qs = qs.filter(received_at__gte=_local_midnight(filters.received_from))
    if filters.received_to is not None:
        qs = qs.filter(received_at__lt=_local_midnight(filters.received_to + timedelta(days=1)))
    text = filters.text.strip()
    if text:
        code = tracking_code_normalise(text)
        by_code = Q(tracking_code=code) if code else Q(pk__in=[])
        qs = qs.filter(by_code | Q(external_id__iexact=text))
    return qs


@dataclass(frozen=True)
class AddressHistory:
    """The other signals at an address that the viewer may see, counted by who reported them: an address with
    many small signals from many sources, each closed on its own, is a story of its own."""

    total: int
    closed: int
    since: datetime | None
    by_source: list[tuple[str, int]]


def address_history(visible: QuerySet[Signal], *, household_id: int, exclude: int) -> AddressHistory:
    rows = (
        visible.filter(household_id=household_id)
        .exclude(pk=exclude)
        .values("reporter_organisation__name", "source_kind", "status", "received_at")
    )
    counts: dict[str, int] = {}
    total = closed = 0
    since: datetime | None = None
    labels = dict(SourceKind.choices)
    for row in rows:
        total += 1
        closed += row["status"] == Status.CLOSED
        since = row["received_at"] if since is None or row["received_at"] < since else since
        source = row["reporter_organisation__name"] or str(labels.get(row["source_kind"], row["source_kind"]))
        counts[source] = counts.get(source, 0) + 1
    by_source = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return AddressHistory(total=total, closed=closed, since=since, by_source=by_source)


def signal_by_tracking_code(code: str) -> Signal | None:
    """For the public tracking page: only what it shows (status and its moments), nothing else is loaded."""
    if not code:
        return None
    return (
        Signal.objects.filter(tracking_code=code)
        .only("status", "picked_up_at", "closed_at", "received_at", "tracking_code")
        .first()
    )
