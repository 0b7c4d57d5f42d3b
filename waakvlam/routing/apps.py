from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "waakvlam.routing"
    label = "routing"
    verbose_name = "Routering"
