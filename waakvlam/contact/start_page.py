"""The pilot light on the carers' start pages: whose contact is due (registered in ContactConfig.ready(),
core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest

from waakvlam.contact.selectors import contact_plans_due_for
from waakvlam.core.models import User
from waakvlam.privacy.services import Actor, access_log_reads


def contact_due(user: User, now: datetime) -> dict[str, Any]:
    return {"contact_due": contact_plans_due_for(user, now)}


def log_contact_due(request: HttpRequest, context: dict[str, Any]) -> None:
    """The block names residents and their addresses: a read of personal data like any list of them."""
    due = context["contact_due"]
    if due.rows:
        access_log_reads(
            actor=Actor.from_request(request),
            object_type="contact.contactplan",
            reads=[(plan.pk, f"resident:{plan.resident_id}") for plan in due.rows],
            context="ui:start_page",
            reason="startpagina",
        )
