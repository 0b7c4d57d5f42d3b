from __future__ import annotations

import random

from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "waakvlam.routing"
    label = "routing"
    verbose_name = "Routering"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep
        from waakvlam.demo.services import register_demo_extension
        from waakvlam.routing.escalation import deadlines_sweep

        # Before the outbox delivers (order 100 by default), so escalations queued now go out in the same pass.
        register_sweep("deadlines", deadlines_sweep, order=10)
        register_demo_extension("routing", _demo_rules)


def _demo_rules(municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from waakvlam.routing.rule_services import routing_rules_seed_demo

    return {"rules": routing_rules_seed_demo(municipality)}
