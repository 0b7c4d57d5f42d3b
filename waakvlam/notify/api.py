"""A staff member's own notifications over the API (session users only; partner keys have no inbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from waakvlam.core.api_auth import verified_session
from waakvlam.core.pagination import BoundedPagination
from waakvlam.notify.models import Notification
from waakvlam.notify.selectors import notifications_for
from waakvlam.notify.services import notification_mark_read, notifications_mark_all_read

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


class MarkedOut(Schema):
    marked: int


@router.get(
    "/notifications",
    response=list[NotificationOut],
    auth=session_only,
    summary="My notifications, newest first",
)
@paginate(BoundedPagination)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    rows = notifications_for(request.user)
    return rows.filter(read_at__isnull=True) if unread else rows


@router.post("/notifications/read", response=MarkedOut, auth=session_only, summary="Mark all my notifications read")
def notification_read_all(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=notifications_mark_all_read(user=request.user, now=timezone.now()))  # type: ignore[arg-type]


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    auth=session_only,
    summary="Mark one of my notifications read",
)
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    try:
        return notification_mark_read(user=request.user, notification_id=notification_id, now=timezone.now())  # type: ignore[arg-type]
    except Notification.DoesNotExist:
        raise Http404 from None
