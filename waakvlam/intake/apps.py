from __future__ import annotations

from datetime import datetime

from django.apps import AppConfig


def _prune(now: datetime) -> dict[str, int]:
    from waakvlam.intake.idempotency import idempotency_keys_prune

    return {"idempotency_keys_pruned": idempotency_keys_prune(now=now)}


def _imports(now: datetime) -> dict[str, int]:
    from waakvlam.intake.import_jobs import import_jobs_sweep

    return import_jobs_sweep(now)


class IntakeConfig(AppConfig):
    name = "waakvlam.intake"
    label = "intake"
    verbose_name = "Signalen"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep

        # Stored idempotent answers are only needed for retries; a week covers any partner's retry policy.
        register_sweep("intake.idempotency_prune", _prune, order=950)
        # Uploaded imports whose thread never ran or died; last, since a big file takes a while.
        register_sweep("intake.import_jobs", _imports, order=990)
