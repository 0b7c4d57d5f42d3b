from __future__ import annotations

from django.apps import AppConfig


class SocialmapConfig(AppConfig):
    name = "waakvlam.socialmap"
    label = "socialmap"
    verbose_name = "Sociale kaart"

    def ready(self) -> None:
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind
        from waakvlam.socialmap.demo import demo_socialmap
        from waakvlam.socialmap.followups import REFERRAL_ANSWER

        register_demo_extension("socialmap", demo_socialmap)
        register_kind(REFERRAL_ANSWER)
