"""Notifications about a resident are rendered when they are read, not when they are sent.

A stored notification holds no personal data: a kind, a neutral subject, a link and a reference to the
thing it is about (`ref`). The app that owns that thing registers a renderer for the kind (in its
AppConfig.ready()); at read time the renderer applies the thing's own permission and consent checks and
returns what the reader may see now, with the access-log subjects it shows — or None, and the
notification is shown as no longer available (a revoked consent makes it unreadable). Every rendered read
is logged, in one batch per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waakvlam.notify.catalogue import translated
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_append, access_log_entry


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    link: str = ""
    # Access-log subjects (resident:…/address:…) of what this text shows.
    subjects: list[str] = field(default_factory=list)


Renderer = Callable[[Any, Notification, datetime], Rendered | None]
_RENDERERS: dict[str, Renderer] = {}


def register_notification_renderer(kind: str, render: Renderer) -> None:
    _RENDERERS[kind] = render


def rendered_kinds() -> frozenset[str]:
    return frozenset(_RENDERERS)


@dataclass(frozen=True)
class ShownNotification:
    """A notification as one reader sees it now: the template's and the API's view of it."""

    pk: int
    id: int
    kind: str
    urgent: bool
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    available: bool

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def _gone() -> Rendered:
    return Rendered(subject=_("Dit bericht is niet meer beschikbaar"), body=_("Je mag de inhoud niet (meer) inzien."))


def notifications_render(
    *, user: Any, notifications: Iterable[Notification], actor: Actor, context: str, now: datetime
) -> list[ShownNotification]:
    """`notifications` as `user` may see them now; logs every one that shows personal data."""
    shown: list[ShownNotification] = []
    entries = []
    for n in notifications:
        render = _RENDERERS.get(n.kind)
        available = True
        if render is None:
            # Written once, in Dutch; shown in the reader's language where the catalogue knows the lines.
            text = Rendered(subject=translated(n.subject), body=translated(n.body), link=n.link)
        else:
            rendered = render(user, n, now)
            available = rendered is not None
            text = rendered or _gone()
            if rendered is not None:
                # A renderer writes Dutch from its registered lines too; shown in the reader's language.
                text = Rendered(translated(text.subject), translated(text.body), text.link, text.subjects)
            for subject in text.subjects:
                entries.append(
                    access_log_entry(
                        actor=actor,
                        action=AccessAction.VIEW,
                        object_type="notify.notification",
                        object_id=n.pk,
                        subject=subject,
                        context=context,
                        now=now,
                    )
                )
        shown.append(
            ShownNotification(
                pk=n.pk,
                id=n.pk,
                kind=n.kind,
                urgent=n.urgent,
                subject=text.subject,
                body=text.body,
                link=(text.link or n.link) if available else "",
                created_at=n.created_at,
                read_at=n.read_at,
                available=available,
            )
        )
    if entries:
        with transaction.atomic():
            access_log_append(entries)
    return shown
