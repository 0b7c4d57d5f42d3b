from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "waakvlam.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # The privacy officer's start page (core/start_page.py).
        from waakvlam.core.roles import Role
        from waakvlam.core.start_page import register_start_context, register_start_part, register_start_title
        from waakvlam.privacy.start_page import access_log_at_a_glance

        register_start_context("privacy.access_log", access_log_at_a_glance, roles={Role.PRIVACY_OFFICER})
        register_start_title(_("Privacy en toegang"), roles={Role.PRIVACY_OFFICER})
        register_start_part("privacy/start/officer.html", roles={Role.PRIVACY_OFFICER}, order=10)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role

        register_nav_item("privacy:access_log", _("Toegangslog"), roles={Role.PRIVACY_OFFICER}, order=750)

        from waakvlam.core.worker import register_sweep
        from waakvlam.privacy.anchor import access_log_anchor_sweep

        # Last of every pass, so the anchor covers the entries the pass itself wrote (docs/threat-model.md).
        register_sweep("privacy.access_log_anchor", access_log_anchor_sweep, order=999)
