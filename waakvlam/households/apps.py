from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "waakvlam.households"
    label = "households"
    verbose_name = "Huishoudens"
