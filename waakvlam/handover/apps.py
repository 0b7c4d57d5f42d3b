from __future__ import annotations

from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "waakvlam.handover"
    label = "handover"
    verbose_name = "Warme overdracht"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.handover.demo import demo_handovers
        from waakvlam.handover.sweep import handover_first_contact_sweep

        register_sweep("handover_first_contact", handover_first_contact_sweep, order=21)
        register_demo_extension("handover", demo_handovers)
        from waakvlam.handover.notifications import render_announced, render_housing
        from waakvlam.notify.rendering import register_notification_renderer

        register_notification_renderer("handover_announced", render_announced)
        register_notification_renderer("handover_housing", render_housing)
