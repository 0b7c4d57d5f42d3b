from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttentionConfig(AppConfig):
    name = "waakvlam.attention"
    label = "attention"
    verbose_name = "Aandachtslijst"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import KEEPER_ROLES, Role

        register_nav_item(
            "attention:list",
            _("Aandacht"),
            roles=KEEPER_ROLES,
            order=80,
            also_current={"attention:detail", "attention:take_up", "attention:dismiss", "attention:register"},
        )
        register_nav_item("attention:configuration", _("Aandachtsregels"), roles={Role.ADMIN}, order=90)

        from waakvlam.attention.demo import demo_attention
        from waakvlam.attention.followups import ATTENTION_DECISION
        from waakvlam.attention.services import items_take_up_for_conference
        from waakvlam.attention.sweep import attention_sweep
        from waakvlam.cases.services import register_conference_convened
        from waakvlam.core.worker import register_sweep
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.followup.kinds import register_kind

        # An undecided item climbs the one follow-up ladder (followup/sweep.py).
        register_kind(ATTENTION_DECISION)
        # After the deadlines and the pilot light's own sweeps (10-21), before the outbox (900).
        register_sweep("attention", attention_sweep, order=30)
        # After the signals, contact plans and handovers of the demo: it computes the list from them.
        register_demo_extension("attention", demo_attention)
        # Convening a case conference about a household is a decision to act on its open item (attention
        # sits just above cases: it listens, cases never imports it).
        register_conference_convened(items_take_up_for_conference)
