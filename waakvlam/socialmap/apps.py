from __future__ import annotations

from django.apps import AppConfig


class SocialmapConfig(AppConfig):
    name = "waakvlam.socialmap"
    label = "socialmap"
    verbose_name = "Sociale kaart"
