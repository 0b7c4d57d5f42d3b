from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """Functional administration of users, teams and organisations (Role.ADMIN), in the admin's own
    municipality, logged. Apart from core because it writes the access log, which sits above the kernel."""

    name = "waakvlam.administration"
    label = "administration"
    verbose_name = "Beheer"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role

        # Its screens keep their names in the "core" namespace (administration/urls.py).
        register_nav_item(
            "core:admin_users",
            _("Gebruikers"),
            roles={Role.ADMIN},
            order=800,
            also_current={"core:admin_user_invite", "core:admin_user_edit", "core:admin_user_two_factor"},
        )
        register_nav_item(
            "core:admin_teams",
            _("Teams"),
            roles={Role.ADMIN},
            order=810,
            also_current={"core:admin_team_create", "core:admin_team_edit"},
        )
        register_nav_item(
            "core:admin_organisations",
            _("Organisaties"),
            roles={Role.ADMIN},
            order=820,
            also_current={"core:admin_organisation_create", "core:admin_organisation_edit"},
        )
