"""A staff member's own notifications over the API (session users only; partner keys have no inbox).

Notifications about a resident are rendered at read time with the permission and consent checks of what
they point to, and each read that shows personal data is logged (notify/rendering.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from waakvlam.core.api_auth import verified_session
from waakvlam.core.pagination import PageQuery
from waakvlam.notify.models import Notification
from waakvlam.notify.rendering import ShownNotification, notifications_render
from waakvlam.notify.selectors import notifications_for
from waakvlam.notify.services import notification_mark_read, notifications_mark_all_read
from waakvlam.privacy.services import Actor

router = Router(tags=["notifications"])


session_only = verified_session


class NotificationOut(Schema):
    id: int
    kind: str
    urgent: bool
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    available: bool = True


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    count: int


class MarkedOut(Schema):
    marked: int


class NotificationListQuery(PageQuery):
    unread: bool = False


def _shown(request: HttpRequest, rows: list[Notification], context: str) -> list[ShownNotification]:
    return notifications_render(
        user=request.user, notifications=rows, actor=Actor.from_request(request), context=context, now=timezone.now()
    )


@router.get(
    "/notifications",
    response=NotificationPageOut,
    auth=session_only,
    summary="My notifications, newest first",
    description="A notification about a resident shows its content only while you may see it; `available` is "
    "false when you may no longer (a consent was revoked, the object moved out of your reach).",
)
def notification_list(request: HttpRequest, filters: Query[NotificationListQuery]) -> dict[str, Any]:
    rows = notifications_for(request.user)
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    count = rows.count()
    page = list(rows[filters.offset : filters.offset + filters.limit])
    return {"items": _shown(request, page, "api:notification_list"), "count": count}


@router.post("/notifications/read", response=MarkedOut, auth=session_only, summary="Mark all my notifications read")
def notification_read_all(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=notifications_mark_all_read(user=request.user, now=timezone.now()))  # type: ignore[arg-type]


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    auth=session_only,
    summary="Mark one of my notifications read",
)
def notification_read(request: HttpRequest, notification_id: int) -> ShownNotification:
    try:
        done = notification_mark_read(user=request.user, notification_id=notification_id, now=timezone.now())  # type: ignore[arg-type]
    except Notification.DoesNotExist:
        raise Http404 from None
    return _shown(request, [done], "api:notification_read")[0]
