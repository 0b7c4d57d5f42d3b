from __future__ import annotations

from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "waakvlam.contact"
    label = "contact"
    verbose_name = "Waakvlamcontact"

    def ready(self) -> None:
        from waakvlam.contact.demo import demo_contact
        from waakvlam.contact.sweep import contact_overdue_sweep
        from waakvlam.core.worker import register_sweep
        from waakvlam.demo.services import register_demo_extension

        # After the signal deadlines (order 10), before the outbox delivers (order 100).
        register_sweep("contact_overdue", contact_overdue_sweep, order=20)
        register_demo_extension("contact", demo_contact)
