"""Forgetting signals that led nowhere (SECURITY.md, "Minimising and forgetting").

A signal closed as "no concern", "unreachable" or "duplicate" more than `retention_months()` ago is
anonymised: what was seen, where, by whom it was reported and about whom (address, household, the
debtor's and reporter's details, the partner's own reference, the notes in its history) is erased. What
is left — category, urgency, neighbourhood, source kind, dates, owner, outcome, the reporting
professional and the history's steps —
still counts in the neighbourhood figures and shows the reporter's tracking page "closed", but no longer
says anything about a person. Signals that led somewhere (contact made, referred, existing support) are
part of the care given and stay until a data-subject request or the owner's own retention rules.

Each anonymised signal gets one history step and one access-log entry (a change of personal data), in
the same transaction as the change; each pass logs its count. The access log itself is never touched.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from waakvlam.core.conf import setting_number
from waakvlam.core.worker import in_batches
from waakvlam.intake.models import Outcome, Signal, SignalEvent, Status
from waakvlam.intake.selectors import signal_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record

__all__ = ["LED_NOWHERE", "retention_months", "signals_anonymise", "signals_anonymise_due", "signals_retention_sweep"]

logger = logging.getLogger("waakvlam.retention")

LED_NOWHERE = (Outcome.NO_CONCERN, Outcome.UNREACHABLE, Outcome.DUPLICATE)
ANONYMISED = "anonymised"
BATCH = 500
DEFAULT_MONTHS = 12


def retention_months() -> int:
    """WAAKVLAM_SIGNAL_RETENTION_MONTHS (setting or environment), default 12; at least 1."""
    return setting_number("WAAKVLAM_SIGNAL_RETENTION_MONTHS", DEFAULT_MONTHS, minimum=1)


def _cutoff(now: datetime, months: int) -> datetime:
    # A month is counted as 30.44 days: retention is a period, not a calendar appointment.
    return now - timedelta(days=round(months * 30.44))


def signals_anonymise_due(now: datetime, *, months: int | None = None) -> QuerySet[Signal]:
    """Signals that led nowhere, closed before the retention period began, and not yet anonymised."""
    cutoff = _cutoff(now, months or retention_months())
    done = SignalEvent.objects.filter(signal=OuterRef("pk"), kind=ANONYMISED)
    return Signal.objects.filter(status=Status.CLOSED, outcome__in=LED_NOWHERE, closed_at__lt=cutoff).exclude(
        Exists(done)
    )


def signals_anonymise(
    signals: list[Signal], *, now: datetime, note: str, context: str, reason: str, actor: Actor | None = None
) -> int:
    """Erase what these signals say about a person, with one history step (`note`) and one access-log
    entry each. Runs in the caller's transaction, inside its access_log_deferred(); also used for erasure
    on request. The signals need their municipality loaded."""
    if not signals:
        return 0
    actor = actor or Actor.system("retention")
    for signal in signals:
        access_log_record(
            actor=actor,
            action=AccessAction.UPDATE,
            object_type="intake.signal",
            object_id=signal.pk,
            subject=signal_subject(signal),  # the address it was about, recorded before it is erased
            municipality_code=signal.municipality.code,
            context=context,
            reason=reason,
            now=now,
        )
    ids = [signal.pk for signal in signals]
    Signal.objects.filter(pk__in=ids).update(
        description="",
        description_masked="",
        privacy_flags=[],
        location_text="",
        address=None,
        household=None,
        external_id="",
        reporter_name=None,
        reporter_phone=None,
        reporter_email=None,
        reporter_email_index="",
        reporter_may_contact=False,
        debtor_details=None,
        debtor_index="",
        arrears_amount=None,
        arrears_months=None,
        updated_at=now,
    )
    SignalEvent.objects.filter(signal_id__in=ids).update(note="")
    SignalEvent.objects.bulk_create(
        [SignalEvent(signal_id=pk, at=now, kind=ANONYMISED, actor_label=actor.username, note=note) for pk in ids]
    )
    return len(ids)


def _anonymise_batch(ids: list[int], now: datetime, months: int) -> int:
    with transaction.atomic(), access_log_deferred():
        rows = Signal.objects.filter(pk__in=ids).select_related("municipality")
        if connection.features.has_select_for_update_skip_locked:
            # Two workers never anonymise (and log) the same signal twice.
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        locked = list(rows)
        # Checked again under the lock: another worker may have finished some since they were listed.
        due = set(
            signals_anonymise_due(now, months=months).filter(pk__in=[r.pk for r in locked]).values_list("pk", flat=True)
        )
        return signals_anonymise(
            [r for r in locked if r.pk in due],
            now=now,
            note=f"Geanonimiseerd: afgesloten zonder vervolg, bewaartermijn van {months} maanden verstreken.",
            context="retention:signal_anonymise",
            reason=f"bewaartermijn {months} maanden verstreken",
        )


def signals_retention_sweep(now: datetime, *, months: int | None = None) -> dict[str, int]:
    """Anonymise every signal that is due, in batches of BATCH (each its own transaction)."""
    period = months or retention_months()
    total = in_batches(
        lambda: list(signals_anonymise_due(now, months=period).order_by("pk").values_list("pk", flat=True)[:BATCH]),
        lambda ids: _anonymise_batch(ids, now, period),
    )
    if total:
        logger.info("retention: %d signal(s) that led nowhere anonymised after %d months", total, period)
    return {"signals_anonymised": total}
