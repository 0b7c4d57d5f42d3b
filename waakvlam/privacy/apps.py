from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "waakvlam.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role

        register_nav_item("privacy:access_log", _("Toegangslog"), roles={Role.PRIVACY_OFFICER}, order=750)

        from waakvlam.core.worker import register_sweep
        from waakvlam.privacy.anchor import access_log_anchor_sweep

        # Last of every pass, so the anchor covers the entries the pass itself wrote (docs/threat-model.md).
        register_sweep("privacy.access_log_anchor", access_log_anchor_sweep, order=999)
