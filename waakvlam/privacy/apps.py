from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "waakvlam.privacy"
    label = "privacy"
    verbose_name = "Privacy"
