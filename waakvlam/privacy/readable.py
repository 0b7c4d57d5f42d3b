"""The access log in plain words, for the privacy officer's screen and for the resident's own copy.

The log keeps copies of technical names on purpose (models.py); a person reading it wants a name, a role,
an organisation and what was looked at, in their local time. This module translates one into the other,
and lets higher apps say how a person's name leads to the subjects the log is kept under (they know
residents and addresses; the log does not).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import Role
from waakvlam.privacy.models import AccessAction, AccessLogEntry


@dataclass(frozen=True)
class SubjectMatch:
    """A person (or address) found by a search, and the access-log subjects everything about them is under.

    `object_type`/`object_id` name what was shown, so showing the match is logged like any other read."""

    label: str
    subjects: tuple[str, ...]
    object_type: str
    object_id: str
    url: str = ""


SubjectFinder = Callable[[User, str], list[SubjectMatch]]
_finders: list[SubjectFinder] = []


def register_subject_finder(finder: SubjectFinder) -> None:
    """Called from a higher app's AppConfig.ready(); the finder must apply its own need-to-know."""
    if finder not in _finders:
        _finders.append(finder)


def subjects_matching(user: User, text: str) -> list[SubjectMatch]:
    text = " ".join(text.split())
    if len(text) < 2:
        return []
    found: list[SubjectMatch] = []
    for finder in _finders:
        found.extend(finder(user, text))
    return found


# How an entry came about, by the prefix of its context (ui:…, api:…): the channel in plain words.
_CHANNELS = {
    "ui": gettext_noop("op een scherm van Waakvlam"),
    "api": gettext_noop("via een gekoppeld systeem (API)"),
    "service": gettext_noop("bij het vastleggen"),
    "cli": gettext_noop("door beheer (opdrachtregel)"),
    "sweep": gettext_noop("automatisch (achtergrondtaak)"),
    "retention": gettext_noop("automatisch (bewaartermijn)"),
    "attention": gettext_noop("automatisch (aandachtslijst)"),
    "privacy": gettext_noop("door de privacyfunctionaris"),
    "demo": gettext_noop("bij het laden van de demo"),
}


def channel_label(context: str) -> str:
    prefix = context.split(":", 1)[0]
    label = _CHANNELS.get(prefix)
    return _(label) if label else context


def object_label(object_type: str) -> str:
    """ "households.resident" → "bewoner": the model's own (translated) name, or the code if unknown."""
    if object_type == "privacy.accesslogentry":
        return _("toegangslog")
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


@dataclass(frozen=True)
class ReadableEntry:
    at: datetime
    who: str
    role: str
    organisation: str
    action: str
    what: str
    channel: str
    reason: str
    technical: str  # the log's own words, for the privacy officer who needs to trace an entry


def _role_label(role: str) -> str:
    if role in Role.values:
        return str(Role(role).label)
    return {"api": _("gekoppeld systeem"), "public": _("openbaar formulier"), "system": _("systeem")}.get(role, role)


def readable_entries(entries: Iterable[AccessLogEntry]) -> list[ReadableEntry]:
    rows = list(entries)
    user_ids = {e.user_id_at_time for e in rows if e.user_id_at_time}
    names = {
        u.pk: (u.get_full_name() or u.get_username())
        for u in User.objects.filter(pk__in=user_ids).only("pk", "first_name", "last_name", "username")
    }
    slugs = {e.organisation for e in rows if e.organisation}
    organisations = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    readable = []
    for e in rows:
        if e.role == "system":
            who = _("Waakvlam zelf")
        elif e.api_key_prefix:
            who = _("API-sleutel %(prefix)s") % {"prefix": e.api_key_prefix}
        elif e.role == "public":
            who = _("iemand via het openbare formulier")
        else:
            who = names.get(e.user_id_at_time or 0) or e.username
        readable.append(
            ReadableEntry(
                at=e.at,
                who=who,
                role=_role_label(e.role),
                organisation=organisations.get(e.organisation, e.organisation),
                action=str(AccessAction(e.action).label) if e.action in AccessAction.values else e.action,
                what=object_label(e.object_type),
                channel=channel_label(e.context),
                reason=e.reason,
                technical=f"#{e.seq} {e.object_type} {e.object_id} {e.context}".strip(),
            )
        )
    return readable
