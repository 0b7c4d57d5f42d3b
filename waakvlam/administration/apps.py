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
        # The functional administrator's start page (core/start_page.py): the organisations.
        from waakvlam.administration.start_page import organisations_overview
        from waakvlam.core.roles import Role
        from waakvlam.core.start_page import register_start_context, register_start_part, register_start_title

        register_start_context("administration.organisations", organisations_overview, roles={Role.ADMIN})
        register_start_title(_("Functioneel beheer"), roles={Role.ADMIN})
        register_start_part("core/admin/start.html", roles={Role.ADMIN}, order=10)

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
