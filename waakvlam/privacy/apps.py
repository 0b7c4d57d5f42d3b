from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "waakvlam.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep
        from waakvlam.privacy.anchor import access_log_anchor_sweep

        # Last of every pass, so the anchor covers the entries the pass itself wrote (docs/threat-model.md).
        register_sweep("privacy.access_log_anchor", access_log_anchor_sweep, order=999)
