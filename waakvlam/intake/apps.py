from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import AppConfig


def _prune(now: datetime) -> dict[str, int]:
    from waakvlam.intake.idempotency import idempotency_keys_prune

    return {"idempotency_keys_pruned": idempotency_keys_prune(now=now)}


def _imports(now: datetime) -> dict[str, int]:
    from waakvlam.intake.import_jobs import import_jobs_sweep

    return import_jobs_sweep(now)


# The retention query reads every closed signal; once an hour is plenty for a period counted in months.
_RETENTION_EVERY = timedelta(hours=1)
_retention_last: list[datetime] = []


def _retention(now: datetime) -> dict[str, int]:
    from waakvlam.intake.retention import signals_retention_sweep

    if _retention_last and timedelta(0) <= now - _retention_last[-1] < _RETENTION_EVERY:
        return {"signals_anonymised": 0}
    result = signals_retention_sweep(now)
    _retention_last[:] = [now]
    return result


class IntakeConfig(AppConfig):
    name = "waakvlam.intake"
    label = "intake"
    verbose_name = "Signalen"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep

        # Stored idempotent answers are only needed for retries; a week covers any partner's retry policy.
        register_sweep("intake.idempotency_prune", _prune, order=950)
        # Signals that led nowhere are anonymised after the retention period (SECURITY.md).
        register_sweep("intake.retention", _retention, order=960)
        # Uploaded imports whose thread never ran or died; last, since a big file takes a while.
        register_sweep("intake.import_jobs", _imports, order=990)
