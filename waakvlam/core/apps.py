from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "waakvlam.core"
    label = "core"
    verbose_name = "Waakvlam core"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import ALL_ROLES, Role

        # The menu (core/nav.py): each app registers its own screens; core's are the start page and the account.
        # The informal supporter's start is their one screen, "Mijn mensen" (PRODUCT.md: a light role).
        register_nav_item("core:home", _("Start"), roles=ALL_ROLES - {Role.INFORMAL_SUPPORTER}, order=10)
        register_nav_item(
            "core:account", _("Mijn account"), roles=ALL_ROLES, order=990, also_current={"core:two_factor_setup"}
        )
