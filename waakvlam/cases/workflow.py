"""What a task may become next, in one table (as Amsterdam/signals' ALLOWED_STATUS_CHANGES): services consult
it before every change, so no view or endpoint can invent a transition. "Overdue" is not a status: an open
task past its due date is overdue, and stays open until its owner settles it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Gedaan")
    DROPPED = "dropped", _("Vervallen")


class MeetingStatus(models.TextChoices):
    OPEN = "open", _("Lopend")
    CLOSED = "closed", _("Afgesloten")


ALLOWED_TASK_CHANGES: dict[str, frozenset[str]] = {
    TaskStatus.OPEN: frozenset({TaskStatus.DONE, TaskStatus.DROPPED}),
    TaskStatus.DONE: frozenset(),
    TaskStatus.DROPPED: frozenset(),
}

# Settled tasks no longer hold a case open.
SETTLED = frozenset({TaskStatus.DONE, TaskStatus.DROPPED})


def task_may_become(current: str, new: str) -> bool:
    return new in ALLOWED_TASK_CHANGES.get(current, frozenset())
