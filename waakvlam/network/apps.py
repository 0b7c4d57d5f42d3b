from __future__ import annotations

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "waakvlam.network"
    label = "network"
    verbose_name = "Informeel netwerk"

    def ready(self) -> None:
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.network.demo import demo_network

        register_demo_extension("network", demo_network)
