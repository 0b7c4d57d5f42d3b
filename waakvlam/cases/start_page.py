"""The open tasks on the start pages of those who take them (core/start_page.py, registered in
CasesConfig.ready())."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.cases.selectors import tasks_for_inbox
from waakvlam.core.models import User


def open_tasks(user: User, now: datetime) -> dict[str, Any]:
    return {"open_tasks": tasks_for_inbox(user).count()}
