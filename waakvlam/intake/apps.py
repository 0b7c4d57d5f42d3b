from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _prune(now: datetime) -> dict[str, int]:
    from waakvlam.intake.idempotency import idempotency_keys_prune

    return {"idempotency_keys_pruned": idempotency_keys_prune(now=now)}


def _retention(now: datetime) -> dict[str, int]:
    from waakvlam.intake.retention import signals_retention_sweep

    return signals_retention_sweep(now)


class IntakeConfig(AppConfig):
    name = "waakvlam.intake"
    label = "intake"
    verbose_name = "Signalen"

    def ready(self) -> None:
        # The signaller's start page (core/start_page.py): report a concern, and their own reports.
        from waakvlam.core.roles import Role
        from waakvlam.core.start_page import register_start_context, register_start_part, register_start_title
        from waakvlam.intake.start_page import my_reports

        register_start_context("intake.my_reports", my_reports, roles={Role.SIGNALLER})
        register_start_title(_("Zorgen melden"), roles={Role.SIGNALLER})
        register_start_part("intake/start/signaller_heading.html", roles={Role.SIGNALLER}, order=10, area="heading")
        register_start_part("intake/start/my_reports.html", roles={Role.SIGNALLER}, order=30)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import CARE_ROLES, WORK_ROLES

        register_nav_item(
            "intake:signal_list", _("Signalen"), roles=CARE_ROLES, order=30, also_current={"intake:signal_detail"}
        )
        register_nav_item(
            "intake:signal_create",
            _("Signaal melden"),
            roles=WORK_ROLES,
            order=40,
            also_current={"intake:signal_create_done"},
        )

        from waakvlam.core.server import register_worker_start
        from waakvlam.core.worker import at_most_every, register_sweep
        from waakvlam.intake.freetext import warm_up
        from waakvlam.intake.group_commit import intake_writer_start

        # In each worker of `waakvlam serve`: the free-text detector is built before the first request,
        # and API signals are written in batches by one thread per worker (docs/decisions/0007).
        register_worker_start(warm=warm_up, start=intake_writer_start)

        # Stored idempotent answers are only needed for retries; a week covers any partner's retry policy.
        register_sweep("intake.idempotency_prune", _prune, order=950)
        # Signals that led nowhere are anonymised after the retention period (SECURITY.md); the query
        # reads every closed signal, so once an hour is plenty for a period counted in months.
        register_sweep("intake.retention", at_most_every(timedelta(hours=1), _retention), order=960)
