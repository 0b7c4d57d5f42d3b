"""The privacy officer's start page: the access log at a glance (registered in PrivacyConfig.ready(),
core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.core.models import User
from waakvlam.privacy.selectors import access_log_summary


def access_log_at_a_glance(user: User, now: datetime) -> dict[str, Any]:
    return {"log_summary": access_log_summary(user)}
