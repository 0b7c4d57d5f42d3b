from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "waakvlam.insight"
    label = "insight"
    verbose_name = "Wijkinzicht"

    def ready(self) -> None:
        # The municipality's start page (core/start_page.py): open signals per neighbourhood.
        from waakvlam.core.roles import Role
        from waakvlam.core.start_page import register_start_context, register_start_part, register_start_title
        from waakvlam.insight.start_page import signals_per_neighbourhood

        register_start_context("insight.neighbourhoods", signals_per_neighbourhood, roles={Role.MUNICIPALITY})
        register_start_title(_("Wijkbeeld"), roles={Role.MUNICIPALITY})
        register_start_part("insight/start/municipality.html", roles={Role.MUNICIPALITY}, order=10)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role
        from waakvlam.insight.selectors import may_see_insight

        register_nav_item(
            "insight:dashboard",
            _("Wijkinzicht"),
            roles={Role.MUNICIPALITY, Role.COORDINATOR, Role.PARTNER},
            order=650,
            allowed=may_see_insight,
        )

        from waakvlam.core.worker import register_sweep
        from waakvlam.followup.kinds import register_stuck_action
        from waakvlam.insight.rollups import rollups_update

        # After the deadlines sweep (order 10), so the figures see this pass's escalations.
        register_sweep("insight_rollups", rollups_update, order=60)
        # The stuck page links each stuck signal to the regie's actions on it (insight/regie_views.py).
        register_stuck_action("signal_pickup", "insight:regie_signal")
