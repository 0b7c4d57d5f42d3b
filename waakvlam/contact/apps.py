from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _retention(now: datetime) -> dict[str, int]:
    from waakvlam.contact.retention import plans_retention_sweep

    return plans_retention_sweep(now)


class ContactConfig(AppConfig):
    name = "waakvlam.contact"
    label = "contact"
    verbose_name = "Waakvlamcontact"

    def ready(self) -> None:
        # On the carers' start pages (core/start_page.py): whose contact is due, and the steward's button to
        # record the first of them. The context is built for every carer, as before the registration.
        from waakvlam.contact.start_page import contact_due, log_contact_due
        from waakvlam.core.roles import CARE_ROLES, Role
        from waakvlam.core.start_page import register_start_context, register_start_part

        register_start_context("contact.due", contact_due, roles=CARE_ROLES, log_reads=log_contact_due)
        register_start_part("contact/start/record_contact_action.html", roles={Role.STEWARD}, order=20, area="actions")
        register_start_part("contact/_due_today.html", roles={Role.STEWARD}, order=20)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import CARE_ROLES, Role

        register_nav_item(
            "contact:my_residents",
            _("Mijn bewoners"),
            roles=CARE_ROLES,
            order=60,
            also_current={
                "contact:plan_detail",
                "contact:plan_create",
                "contact:plan_edit",
                "contact:plan_close",
                "contact:early_warning_plan",
                "contact:early_warning_plan_edit",
                "contact:early_warning_plan_print",
                "contact:resident_consents",
            },
        )
        register_nav_item(
            "contact:consent_list",
            _("Toestemmingen"),
            roles=CARE_ROLES,
            order=100,
            also_current={"contact:consent_revoke"},
        )
        register_nav_item("contact:team", _("Team"), roles={Role.COORDINATOR}, order=500)

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
        from waakvlam.contact.signal_parts import pilot_light_part, plan_signs_part
        from waakvlam.intake.signal_page import SLOT_DETAILS, SLOT_END, register_signal_page_section

        # A signal's page shows the plans at its address and the residents' early-warning signs.
        register_signal_page_section(SLOT_DETAILS, "contact/_pilot_light_at.html", pilot_light_part, order=100)
        register_signal_page_section(SLOT_END, "contact/_plan_signs.html", plan_signs_part, order=100)
        from waakvlam.contact.household_parts import contact_timeline, households_with_active_plans
        from waakvlam.households.reach import register_household_reach, register_timeline_source

        # Who keeps a resident's active plan may open their household; its timeline shows plans and contacts.
        register_household_reach(households_with_active_plans)
        register_timeline_source(contact_timeline)
