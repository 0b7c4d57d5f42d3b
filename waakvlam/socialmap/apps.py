from __future__ import annotations

from django.apps import AppConfig


class SocialmapConfig(AppConfig):
    name = "waakvlam.socialmap"
    label = "socialmap"
    verbose_name = "Sociale kaart"

    def ready(self) -> None:
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.socialmap.demo import demo_socialmap

        register_demo_extension("socialmap", demo_socialmap)
