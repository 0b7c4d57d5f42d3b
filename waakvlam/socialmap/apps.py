from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialmapConfig(AppConfig):
    name = "waakvlam.socialmap"
    label = "socialmap"
    verbose_name = "Sociale kaart"

    def ready(self) -> None:
        # The activity keeper's start page (core/start_page.py).
        from waakvlam.core.roles import Role
        from waakvlam.core.start_page import register_start_context, register_start_part, register_start_title
        from waakvlam.socialmap.start_page import keeper_counts

        register_start_context("socialmap.keeper", keeper_counts, roles={Role.ACTIVITY_KEEPER})
        register_start_title(_("Welkom"), roles={Role.ACTIVITY_KEEPER})
        register_start_part("socialmap/start/keeper.html", roles={Role.ACTIVITY_KEEPER}, order=10)

        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import CARE_ROLES, Role

        register_nav_item(
            "socialmap:find",
            _("Sociale kaart"),
            roles=CARE_ROLES | {Role.ADMIN},
            order=140,
            also_current={"socialmap:service", "socialmap:referral_create"},
        )
        register_nav_item(
            "socialmap:referral_list",
            _("Verwijzingen"),
            roles=CARE_ROLES,
            order=150,
            also_current={"socialmap:referral_detail"},
        )
        register_nav_item(
            "socialmap:keeper_home",
            _("Mijn activiteiten"),
            roles={Role.ACTIVITY_KEEPER},
            order=160,
            also_current={"socialmap:keeper_edit", "socialmap:referral_detail"},
        )
        register_nav_item("socialmap:moderation", _("Moderatie sociale kaart"), roles={Role.ADMIN}, order=170)

        from django.db.models import signals

        from waakvlam.contact.hooks import register_plan_page_section
        from waakvlam.core.page_parts import PagePart, register_page_part
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind
        from waakvlam.households.rights import EXPORT_PAGE_SLOT, register_resident_part
        from waakvlam.intake.signal_page import SLOT_CLOSE, register_signal_page_section
        from waakvlam.socialmap import search_summary as summary
        from waakvlam.socialmap.demo import demo_socialmap
        from waakvlam.socialmap.followups import REFERRAL_ANSWER
        from waakvlam.socialmap.models import Schedule, ServiceAtLocation
        from waakvlam.socialmap.need_rights import NEEDS_PART, needs_readable
        from waakvlam.socialmap.page_parts import plan_needs, signal_collective_first

        register_demo_extension("socialmap", demo_socialmap)
        register_kind(REFERRAL_ANSWER)
        # Collective first, visibly: above a signal's close form, and with the needs on the plan page.
        register_signal_page_section(SLOT_CLOSE, "socialmap/_collective_first.html", signal_collective_first)
        register_plan_page_section("socialmap/_plan_needs.html", plan_needs)
        # A resident's needs are in their export (and its readable page) and erased with them.
        register_resident_part(NEEDS_PART)
        register_page_part(
            PagePart(slot=EXPORT_PAGE_SLOT, template="socialmap/_export_needs.html", context=needs_readable)
        )
        signals.pre_save.connect(summary.schedule_pre_save, sender=Schedule)
        signals.post_save.connect(summary.schedule_changed, sender=Schedule)
        signals.post_delete.connect(summary.schedule_changed, sender=Schedule)
        signals.pre_save.connect(summary.service_at_location_pre_save, sender=ServiceAtLocation)
        signals.post_save.connect(summary.service_at_location_changed, sender=ServiceAtLocation)
        signals.post_delete.connect(summary.service_at_location_changed, sender=ServiceAtLocation)
