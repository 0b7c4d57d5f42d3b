from __future__ import annotations

from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "waakvlam.handover"
    label = "handover"
    verbose_name = "Warme overdracht"

    def ready(self) -> None:
        from waakvlam.contact.consent_rules import register_responsible_source
        from waakvlam.handover.selectors import handover_receiver_resident_ids

        register_responsible_source("handover_receiver", handover_receiver_resident_ids)
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind
        from waakvlam.handover.demo import demo_handovers
        from waakvlam.handover.followups import HANDOVER_FIRST_CONTACT

        register_kind(HANDOVER_FIRST_CONTACT)
        register_demo_extension("handover", demo_handovers)
        from waakvlam.handover.notifications import render_announced, render_housing
        from waakvlam.notify.rendering import register_notification_renderer

        register_notification_renderer("handover_announced", render_announced)
        register_notification_renderer("handover_housing", render_housing)
