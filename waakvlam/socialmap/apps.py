from __future__ import annotations

from django.apps import AppConfig


class SocialmapConfig(AppConfig):
    name = "waakvlam.socialmap"
    label = "socialmap"
    verbose_name = "Sociale kaart"

    def ready(self) -> None:
        from django.db.models import signals

        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind
        from waakvlam.socialmap import search_summary as summary
        from waakvlam.socialmap.demo import demo_socialmap
        from waakvlam.socialmap.followups import REFERRAL_ANSWER
        from waakvlam.socialmap.models import Schedule, ServiceAtLocation

        register_demo_extension("socialmap", demo_socialmap)
        register_kind(REFERRAL_ANSWER)
        signals.pre_save.connect(summary.schedule_pre_save, sender=Schedule)
        signals.post_save.connect(summary.schedule_changed, sender=Schedule)
        signals.post_delete.connect(summary.schedule_changed, sender=Schedule)
        signals.pre_save.connect(summary.service_at_location_pre_save, sender=ServiceAtLocation)
        signals.post_save.connect(summary.service_at_location_changed, sender=ServiceAtLocation)
        signals.post_delete.connect(summary.service_at_location_changed, sender=ServiceAtLocation)
