from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _spikes(now: datetime) -> dict[str, int]:
    from waakvlam.cases.spike import spike_sweep

    return spike_sweep(now)


class CasesConfig(AppConfig):
    name = "waakvlam.cases"
    label = "cases"
    verbose_name = "Casusoverleg"

    def ready(self) -> None:
        # The open tasks on the start pages of those who take them (core/start_page.py).
        from waakvlam.cases.start_page import open_tasks
        from waakvlam.core.roles import CARE_ROLES, Role
        from waakvlam.core.start_page import register_start_context, register_start_part

        register_start_context("cases.open_tasks", open_tasks, roles=CARE_ROLES | {Role.SIGNALLER})
        register_start_part("cases/start/open_tasks.html", roles={Role.SIGNALLER}, order=20)
        register_start_part("cases/start/open_tasks.html", roles=CARE_ROLES, order=50)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import WORK_ROLES, Role

        register_nav_item(
            "cases:conference_list",
            _("Casusoverleg"),
            roles=WORK_ROLES | {Role.MUNICIPALITY},
            order=110,
            also_current={
                "cases:conference_detail",
                "cases:conference_create",
                "cases:conference_scope",
                "cases:figures",
                "cases:area_list",
                "cases:area_detail",
                "cases:area_create",
                "cases:spike_detail",
            },
        )
        register_nav_item(
            "cases:task_list", _("Taken"), roles=WORK_ROLES, order=120, also_current={"cases:task_detail"}
        )

        from waakvlam.cases.demo import demo_cases
        from waakvlam.cases.followups import CASE_TASK
        from waakvlam.core.worker import at_most_every, register_sweep
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind

        # An overdue task climbs the one follow-up ladder (followup/sweep.py); cases has no sweep of its own.
        register_kind(CASE_TASK)
        # A spike is counted in days; every quarter of an hour is soon enough and keeps the pass light.
        register_sweep("cases.spikes", at_most_every(timedelta(minutes=15), _spikes), order=40)
        register_demo_extension("cases", demo_cases)
