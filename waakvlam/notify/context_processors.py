"""The unread count for the page header ("Berichten (3)")."""

from __future__ import annotations

from django.http import HttpRequest

from waakvlam.notify.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
