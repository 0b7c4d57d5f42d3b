from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "waakvlam.intake"
    label = "intake"
    verbose_name = "Signalen"
