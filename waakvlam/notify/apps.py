from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "waakvlam.notify"
    label = "notify"
    verbose_name = "Meldingen aan medewerkers"
