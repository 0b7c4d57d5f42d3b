from __future__ import annotations

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "waakvlam.followup"
    label = "followup"
    verbose_name = "Termijnbewaking"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep
        from waakvlam.followup.sweep import followup_sweep

        # Registered once for every kind; the apps above declare their kinds in their own ready().
        # Before the outbox delivers (order 900), so escalations queued now go out in the same pass.
        register_sweep("followup", followup_sweep, order=10)
