from __future__ import annotations

from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """Functional administration of users, teams and organisations (Role.ADMIN), in the admin's own
    municipality, logged. Apart from core because it writes the access log, which sits above the kernel."""

    name = "waakvlam.administration"
    label = "administration"
    verbose_name = "Beheer"
