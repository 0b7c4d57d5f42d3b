"""The same worry reported twice: finding likely duplicates, and merging them on the owner's say-so.

A likely duplicate of a signal is another signal about the same household, of the same kind of worry,
received within DUPLICATE_WINDOW of it, whose text is similar (rapidfuzz token_set_ratio of at least
MIN_SIMILARITY; word order and repeated words do not count). Two signals without text (arrears files often
have none) count as similar only when they come from the same organisation and the same kind of source.
The system only points and says why; the owner decides (PRODUCT.md: explainable, never automated).

Merging closes the duplicate with outcome "duplicate" and keeps both histories: a "linked" step on each,
pointing at the other. The reporter of the duplicate sees "closed" on their tracking page; the kept signal
carries on as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from waakvlam.core.models import User
from waakvlam.intake.lifecycle import Action
from waakvlam.intake.models import Outcome, Signal, SignalEvent, Status
from waakvlam.intake.selectors import signal_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record
from waakvlam.routing import rules as perms
from waakvlam.routing.errors import InvalidAction, NotAllowed, SignalAlreadyClosed
from waakvlam.routing.services import actor_for, signal_close

__all__ = [
    "DUPLICATE_WINDOW",
    "MIN_SIMILARITY",
    "DuplicateCandidate",
    "duplicate_candidates",
    "signal_merge",
    "text_similarity",
]

DUPLICATE_WINDOW = timedelta(days=14)
MIN_SIMILARITY = 70
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class DuplicateCandidate:
    signal: Signal
    similarity: int  # 0-100
    days_apart: int
    reasons: list[str] = field(default_factory=list)  # in Dutch, shown to the owner: why we think so


def text_similarity(a: str, b: str) -> int:
    """0-100: how much two descriptions say the same (case, punctuation and word order ignored)."""
    return round(fuzz.token_set_ratio(a or "", b or "", processor=_plain))


def _plain(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _similarity(signal: Signal, other: Signal) -> int | None:
    """The text similarity, or None when the two cannot be compared (one has text, the other has none)."""
    mine, theirs = signal.description.strip(), other.description.strip()
    if mine and theirs:
        return text_similarity(mine, theirs)
    if mine or theirs:
        return None
    same_source = (
        signal.reporter_organisation_id is not None
        and signal.reporter_organisation_id == other.reporter_organisation_id
        and signal.source_kind == other.source_kind
    )
    return 100 if same_source else None


def duplicate_candidates(signal: Signal, *, among: QuerySet[Signal]) -> list[DuplicateCandidate]:
    """Likely duplicates of `signal` within `among` (the caller's visible signals), most similar first.

    Signals already closed as a duplicate are left out: they have found their place."""
    if signal.household_id is None:
        return []
    window = Q(received_at__gte=signal.received_at - DUPLICATE_WINDOW) & Q(
        received_at__lte=signal.received_at + DUPLICATE_WINDOW
    )
    others = (
        among.filter(window, household_id=signal.household_id, category=signal.category)
        .exclude(pk=signal.pk)
        .exclude(status=Status.CLOSED, outcome=Outcome.DUPLICATE)
        .select_related("owner_team", "reporter_organisation")
        .order_by("-received_at")[:100]
    )
    found: list[DuplicateCandidate] = []
    for other in others:
        similarity = _similarity(signal, other)
        if similarity is None or similarity < MIN_SIMILARITY:
            continue
        days = abs((signal.received_at - other.received_at).days)
        reasons = [
            "zelfde adres",
            f"zelfde soort zorg ({other.get_category_display()})",
            "op dezelfde dag" if days == 0 else f"{days} dag{'en' if days != 1 else ''} ertussen",
            f"tekst lijkt voor {similarity}% op elkaar"
            if signal.description.strip()
            else "beide zonder tekst, van dezelfde bron",
        ]
        found.append(DuplicateCandidate(signal=other, similarity=similarity, days_apart=days, reasons=reasons))
    found.sort(key=lambda c: (-c.similarity, c.days_apart, -c.signal.pk))
    return found[:MAX_CANDIDATES]


@transaction.atomic
def signal_merge(
    *,
    keep: Signal,
    duplicate: Signal,
    by: User,
    now: datetime,
    actor: Actor | None = None,
    context: str = "",
) -> Signal:
    """Close `duplicate` as a duplicate of `keep`; returns the closed duplicate.

    `by` must be able to act on both (NotAllowed otherwise: answered as 404). The duplicate must still be
    open (SignalAlreadyClosed); both must be about the same household (InvalidAction). The reporter of the
    duplicate is told it is closed; the kept signal's reporter is told nothing, because nothing changed."""
    if keep.pk == duplicate.pk:
        raise InvalidAction({"other": "Een signaal kan niet met zichzelf worden samengevoegd."})
    # Lock both rows in a fixed order (PostgreSQL), so two merges in opposite directions cannot deadlock.
    locked = {
        s.pk: s
        for s in Signal.objects.select_for_update(of=("self",))
        .select_related("municipality", "owner_team")
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(locked) != 2 or not all(perms.user_may_act(by, s) for s in locked.values()):
        raise NotAllowed
    kept, dup = locked[keep.pk], locked[duplicate.pk]
    if dup.status == Status.CLOSED:
        raise SignalAlreadyClosed("Dit signaal is al afgesloten; samenvoegen kan alleen met een open signaal.")
    if kept.status == Status.CLOSED and kept.outcome == Outcome.DUPLICATE:
        raise InvalidAction({"other": "Het signaal dat blijft is zelf al als dubbel afgesloten."})
    if kept.household_id is None or kept.household_id != dup.household_id:
        raise InvalidAction({"other": "Alleen signalen over hetzelfde huishouden kunnen worden samengevoegd."})
    who = actor or actor_for(by)
    # signal_close writes the "closed" step, the access-log entry and the reporter's "closed" e-mail.
    closed = signal_close(
        signal=dup,
        by=by,
        outcome=Outcome.DUPLICATE,
        note=f"Samengevoegd met {kept.tracking_code}.",
        now=now,
        actor=who,
        context=context or "service:signal_merge",
        action=Action.MERGE,
    )
    Signal.objects.filter(pk=dup.pk).update(merged_into=kept)
    closed.merged_into = kept
    label = who.username or f"api:{who.api_key_prefix}"
    SignalEvent.objects.bulk_create(
        [
            SignalEvent(
                signal=dup,
                at=now,
                kind="linked",
                actor=by,
                actor_label=label,
                team=dup.owner_team,
                related_signal=kept,
                note=f"Dubbele melding: samengevoegd met {kept.tracking_code}, dat signaal loopt door.",
            ),
            SignalEvent(
                signal=kept,
                at=now,
                kind="linked",
                actor=by,
                actor_label=label,
                team=kept.owner_team,
                related_signal=dup,
                note=f"Dubbele melding {dup.tracking_code} is hierin samengevoegd.",
            ),
        ]
    )
    Signal.objects.filter(pk=kept.pk).update(updated_at=now)
    access_log_record(
        actor=who,
        action=AccessAction.UPDATE,
        object_type="intake.signal",
        object_id=kept.pk,
        subject=signal_subject(kept),
        municipality_code=kept.municipality.code,
        context=context or "service:signal_merge",
        reason="linked",
        now=now,
    )
    return closed
