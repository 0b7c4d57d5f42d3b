from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "waakvlam.handover"
    label = "handover"
    verbose_name = "Warme overdracht"

    def ready(self) -> None:
        # A party's warm handovers on its start page (core/start_page.py); on the coordinator's below the counts.
        from waakvlam.core.roles import CARE_ROLES, Role
        from waakvlam.core.start_page import register_start_context, register_start_part
        from waakvlam.handover.start_page import handovers_on_start_page, log_handovers

        register_start_context("handover.in_hand", handovers_on_start_page, roles=CARE_ROLES, log_reads=log_handovers)
        register_start_part("handover/_start_handovers.html", roles={Role.STEWARD, Role.PARTNER}, order=30)
        register_start_part("handover/_start_handovers.html", roles={Role.COORDINATOR}, order=55)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import CARE_ROLES

        register_nav_item(
            "handover:list",
            _("Overdrachten"),
            roles=CARE_ROLES,
            order=70,
            also_current={"handover:detail", "handover:create"},
        )

        from waakvlam.contact.hooks import register_contact_hooks
        from waakvlam.handover import contact_hooks
        from waakvlam.handover.rights import HANDOVER_PART
        from waakvlam.handover.selectors import handover_receiver_resident_ids
        from waakvlam.households.rights import register_resident_part

        # What contact takes into account of handovers (contact/hooks.py): contact never imports handover.
        register_contact_hooks(
            shared_plans=contact_hooks.overlap_plan_ids,
            writable_residents=contact_hooks.party_resident_ids,
            visible_residents=contact_hooks.visible_resident_ids,
            contact_made=contact_hooks.first_contact_from_plan,
            handover_consent_given=contact_hooks.inform_housing,
            plan_page=contact_hooks.plan_page_handovers,
            responsible_residents=handover_receiver_resident_ids,
        )
        # Plans, consents and handovers in a resident's export and erasure (households/rights.py).
        register_resident_part(HANDOVER_PART)
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind
        from waakvlam.handover.demo import demo_handovers
        from waakvlam.handover.followups import HANDOVER_FIRST_CONTACT

        register_kind(HANDOVER_FIRST_CONTACT)
        register_demo_extension("handover", demo_handovers)
        from waakvlam.handover.notifications import render_announced, render_housing
        from waakvlam.notify.rendering import register_notification_renderer

        register_notification_renderer("handover_announced", render_announced)
        register_notification_renderer("handover_housing", render_housing)
        from waakvlam.handover.household_parts import handover_timeline, households_with_open_handovers
        from waakvlam.households.reach import register_household_reach, register_timeline_source

        # The parties to an open handover may open the household it goes to; its timeline shows the handover.
        register_household_reach(households_with_open_handovers)
        register_timeline_source(handover_timeline)
