from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "waakvlam.insight"
    label = "insight"
    verbose_name = "Wijkinzicht"

    def ready(self) -> None:
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
