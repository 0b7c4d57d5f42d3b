"""The one place that turns "may this user see this object" into a 404 and an access-log entry.

Apps define *which* objects a user may see in their selectors (a queryset per user); views and the API
fetch through `get_visible_or_404`, so a hidden object and a missing one answer the same.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

M = TypeVar("M", bound=Model)


def get_visible_or_404(
    visible: QuerySet[M],
    pk: Any,
    *,
    actor: Actor,
    context: str,
    subject_of: Any = None,
    action: AccessAction = AccessAction.VIEW,
    municipality_code: str = "",
    lookup: str = "pk",
) -> M:
    """Fetch one object from the caller's visible set, or raise Http404; log the read of personal data.
    `lookup="public_id"` finds it by its public id (core/public_ids.py)."""
    try:
        obj = visible.get(**{lookup: pk})
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    subject = subject_of(obj) if subject_of else ""
    access_log_record(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        subject=subject,
        municipality_code=municipality_code,
        context=context,
    )
    return obj
