"""The functional administrator's start page: the organisations in their municipality (registered in
AdministrationConfig.ready(), core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count

from waakvlam.core.models import Organisation, Team, User


def organisations_overview(user: User, now: datetime) -> dict[str, Any]:
    organisations = Organisation.objects.filter(municipality_id=user.municipality_id).annotate(
        user_count=Count("users", distinct=True), team_count=Count("teams", distinct=True)
    )
    return {
        "organisations": organisations,
        "team_count": Team.objects.filter(municipality_id=user.municipality_id).count(),
    }
