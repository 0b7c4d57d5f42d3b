from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waakvlam.core"
    label = "core"
    verbose_name = "Waakvlam core"
