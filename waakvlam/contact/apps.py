from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import AppConfig


def _retention(now: datetime) -> dict[str, int]:
    from waakvlam.contact.retention import plans_retention_sweep

    return plans_retention_sweep(now)


class ContactConfig(AppConfig):
    name = "waakvlam.contact"
    label = "contact"
    verbose_name = "Waakvlamcontact"

    def ready(self) -> None:
        from waakvlam.contact.rights import CONTACT_PART
        from waakvlam.households.rights import register_resident_part

        # Plans, consents and handovers in a resident's export and erasure (households/rights.py).
        register_resident_part(CONTACT_PART)
        from waakvlam.contact.demo import demo_contact
        from waakvlam.contact.followups import CONTACT_OVERDUE
        from waakvlam.core.worker import at_most_every, register_sweep
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind

        register_kind(CONTACT_OVERDUE)
        # Closed plans' notes are erased after the retention period (SECURITY.md); hourly is plenty.
        register_sweep("contact.retention", at_most_every(timedelta(hours=1), _retention), order=961)
        register_demo_extension("contact", demo_contact)
