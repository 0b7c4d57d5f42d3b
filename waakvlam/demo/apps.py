from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "waakvlam.demo"
    label = "demo"
    verbose_name = "Demo"

    def ready(self) -> None:
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.demo.signals import demo_signals

        # Runs after routing's extension (routing comes first in INSTALLED_APPS), so the rules exist.
        register_demo_extension("signals", demo_signals)
