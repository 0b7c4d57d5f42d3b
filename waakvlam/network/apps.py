from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "waakvlam.network"
    label = "network"
    verbose_name = "Informeel netwerk"

    def ready(self) -> None:
        # A light role with one screen: the informal supporter's start is the people linked to them.
        from waakvlam.core.roles import Role
        from waakvlam.core.start_page import register_start_redirect

        register_start_redirect("network:my_people", roles={Role.INFORMAL_SUPPORTER})

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role

        register_nav_item("network:my_people", _("Mijn mensen"), roles={Role.INFORMAL_SUPPORTER}, order=130)

        from waakvlam.demo.services import register_demo_extension
        from waakvlam.network.demo import demo_network

        register_demo_extension("network", demo_network)
