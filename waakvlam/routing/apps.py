from __future__ import annotations

import random

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "waakvlam.routing"
    label = "routing"
    verbose_name = "Routering"

    def ready(self) -> None:
        # Its start-page parts (core/start_page.py): the carers' signals at a glance, the steward's page frame.
        from waakvlam.core.roles import CARE_ROLES, Role
        from waakvlam.core.start_page import register_start_context, register_start_part, register_start_title
        from waakvlam.routing.start_page import signals_at_a_glance

        register_start_context("routing.signals", signals_at_a_glance, roles=CARE_ROLES)
        steward, coordinator, partner = {Role.STEWARD}, {Role.COORDINATOR}, {Role.PARTNER}
        register_start_title(_("Mijn waakvlam"), roles=steward)
        register_start_title(_("Overzicht coördinator"), roles=coordinator)
        register_start_title(_("Voor jouw organisatie"), roles=partner)
        register_start_part("routing/start/steward_heading.html", roles=steward, order=10, area="heading")
        register_start_part("routing/start/steward_inbox_action.html", roles=steward, order=10, area="actions")
        register_start_part("routing/start/steward_lead.html", roles=steward, order=10)
        register_start_part("routing/start/coordinator_heading.html", roles=coordinator, order=10, area="heading")
        register_start_part("routing/start/partner_heading.html", roles=partner, order=10, area="heading")
        register_start_part("routing/start/team_signals_heading.html", roles=partner, order=35)
        register_start_part("routing/start/inbox_counts.html", roles=CARE_ROLES, order=40)
        register_start_part("routing/start/first_up.html", roles=steward | coordinator, order=60)
        register_start_part("routing/start/team_first_up.html", roles=partner, order=60)
        register_start_part("routing/start/inbox_button.html", roles=CARE_ROLES, order=70)

        from waakvlam.core.nav import register_nav_item, register_nav_sub_screens
        from waakvlam.core.roles import CARE_ROLES, SETUP_ROLES, Role

        register_nav_item("routing:inbox", _("Inbox"), roles=CARE_ROLES, order=20, also_current={"routing:team_inbox"})
        # Acting on a signal is part of the signal (intake's "Signalen"); intake never names our screens.
        register_nav_sub_screens(
            "intake:signal_list", {"routing:signal_claim", "routing:signal_transfer", "routing:signal_close"}
        )
        register_nav_item("routing:stuck", _("Vastgelopen signalen"), roles={Role.MUNICIPALITY}, order=600)
        register_nav_item(
            "routing:rule_list",
            _("Routering"),
            roles=SETUP_ROLES,
            order=700,
            also_current={"routing:rule_create", "routing:rule_edit"},
        )

        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind
        from waakvlam.intake.creation import register_creation_step
        from waakvlam.routing.creation import ROUTING_STEP
        from waakvlam.routing.demo import demo_signals
        from waakvlam.routing.followups import SIGNAL_PICKUP

        # Every new signal, on every path that creates one, gets its owner and due time (intake/creation.py).
        register_creation_step(ROUTING_STEP)
        register_kind(SIGNAL_PICKUP)
        from waakvlam.intake.signal_page import SLOT_END, register_signal_page_section
        from waakvlam.routing.signal_parts import signal_actions_part

        # A signal's page ends with what the viewer may do with it (after contact's early-warning signs).
        register_signal_page_section(SLOT_END, "routing/_signal_actions.html", signal_actions_part, order=200)
        register_demo_extension("routing", _demo_rules)
        # Last, after every other app's part (demo/services.py: the parts share one random stream).
        register_demo_extension("signals", demo_signals, order=900)
        _forget_routing_tables_on_change()


def _forget_routing_tables_on_change() -> None:
    """Whatever a routing table is made of: a change to it makes this process read the tables again."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from waakvlam.core.cache import process_cache_forget_on_change
    from waakvlam.core.models import Neighbourhood, Organisation, Team, User
    from waakvlam.routing.models import RoutingRule

    for model in (RoutingRule, Team, User, Neighbourhood, Organisation):
        post_save.connect(process_cache_forget_on_change, sender=model, dispatch_uid=f"routing-cache-{model.__name__}")
        post_delete.connect(
            process_cache_forget_on_change, sender=model, dispatch_uid=f"routing-cache-{model.__name__}"
        )
    m2m_changed.connect(process_cache_forget_on_change, sender=User.teams.through, dispatch_uid="routing-cache-members")


def _demo_rules(municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from waakvlam.routing.rule_services import routing_rules_seed_demo

    return {"rules": routing_rules_seed_demo(municipality)}
