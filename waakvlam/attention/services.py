"""The use cases of the attention list: recompute the items of some households, take an item up, dismiss it.

Computing an item only puts a household on a list; it never changes a signal, a plan or anything else
(GDPR art. 22: a person decides). A decided item (taken up or dismissed) comes back only when a signal
newer than the ones the decision saw arrives for the household and the rules still fire.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max

from waakvlam.attention.configuration import ActiveConfiguration, configuration_for
from waakvlam.attention.definitions import widest_window
from waakvlam.attention.engine import evaluate_household, owner_team_of, reasons_of
from waakvlam.attention.facts import HouseholdFacts, household_facts
from waakvlam.attention.models import DECIDED, MAX_REASON, AttentionItem, ItemStatus, TakeUp
from waakvlam.attention.selectors import items_visible_to
from waakvlam.contact.selectors import today_of
from waakvlam.core import errors
from waakvlam.core.models import User
from waakvlam.core.people import person_name
from waakvlam.households.linking import household_subject
from waakvlam.households.models import Household
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

# Until the follow-up clock declares an "attention decision" kind, an item asks for a decision this soon.
DECIDE_WITHIN = timedelta(days=5)
BATCH = 500


class AttentionError(errors.DomainError):
    field = ""


class ItemAlreadyDecided(AttentionError, errors.Conflict):
    pass


class InvalidDecision(AttentionError, errors.Invalid):
    """Bad input for one field of a decision (422 naming it; "" the decision as a whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        errors.Invalid.__init__(self, {field: message})
        self.field = field


def _configurations(municipality_ids: Iterable[int]) -> dict[int, ActiveConfiguration]:
    return {mid: configuration_for(mid) for mid in set(municipality_ids)}


def items_refresh(*, household_ids: Iterable[int], now: datetime) -> dict[str, int]:
    """Recompute the attention items of these households, in batches (each one transaction)."""
    ids = sorted(set(household_ids))
    counts = {"households": 0, "raised": 0, "updated": 0, "lapsed": 0, "held_back": 0}
    configs: dict[int, ActiveConfiguration] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            _refresh_batch(chunk, configs, now, counts)
    return counts


def _refresh_batch(
    chunk: list[int], configs: dict[int, ActiveConfiguration], now: datetime, counts: dict[str, int]
) -> None:

    today = today_of(now)
    for mid in set(Household.objects.filter(pk__in=chunk).values_list("municipality_id", flat=True)):
        if mid not in configs:
            configs[mid] = configuration_for(mid)
    days = max((widest_window(c.params_by_rule()) for c in configs.values()), default=1)
    facts = household_facts(chunk, since=today - timedelta(days=days))
    open_items = {
        item.household_id: item
        for item in AttentionItem.objects.select_for_update().filter(household_id__in=chunk, status=ItemStatus.OPEN)
    }
    decided_up_to = dict(
        AttentionItem.objects.filter(household_id__in=chunk, status__in=DECIDED)
        .order_by()
        .values("household_id")
        .annotate(seen=Max("seen_signal_id"))
        .values_list("household_id", "seen")
    )
    for hid, household in facts.items():
        counts["households"] += 1
        _apply(household, configs[household.municipality_id], open_items.get(hid), decided_up_to.get(hid), now, counts)


def _apply(
    facts: HouseholdFacts,
    config: ActiveConfiguration,
    item: AttentionItem | None,
    decided_up_to: int | None,
    now: datetime,
    counts: dict[str, int],
) -> None:
    today = today_of(now)
    firings = evaluate_household(facts, config, today)
    team_id = owner_team_of(facts, firings) if firings else None
    if not firings or team_id is None:
        if item is not None:
            item.status, item.lapsed_at, item.updated_at, item.checked_on = ItemStatus.LAPSED, now, now, today
            item.save(update_fields=["status", "lapsed_at", "updated_at", "checked_on"])
            counts["lapsed"] += 1
        return
    reasons = reasons_of(firings)
    names = ",".join(r["rule"] for r in reasons)
    if item is not None:
        changed = (item.reasons, item.owner_team_id, item.config_version, item.seen_signal_id) != (
            reasons,
            team_id,
            config.version,
            facts.newest_signal_id,
        )
        item.checked_on = today
        fields = ["checked_on"]
        if changed:
            item.reasons, item.rule_names, item.owner_team_id = reasons, names, team_id
            item.config_version, item.seen_signal_id, item.updated_at = config.version, facts.newest_signal_id, now
            fields += ["reasons", "rule_names", "owner_team", "config_version", "seen_signal_id", "updated_at"]
            counts["updated"] += 1
        item.save(update_fields=fields)
        return
    if decided_up_to is not None and facts.newest_signal_id <= decided_up_to:
        counts["held_back"] += 1  # decided already, and nothing new since
        return
    AttentionItem.objects.create(
        municipality_id=facts.municipality_id,
        household_id=facts.household_id,
        owner_team_id=team_id,
        status=ItemStatus.OPEN,
        reasons=reasons,
        rule_names=names,
        config_version=config.version,
        seen_signal_id=facts.newest_signal_id,
        raised_at=now,
        updated_at=now,
        checked_on=today,
        decide_by=now + DECIDE_WITHIN,
    )
    counts["raised"] += 1


def _locked_open(item: AttentionItem) -> AttentionItem:
    locked = AttentionItem.objects.select_for_update().select_related("household").get(pk=item.pk)
    if locked.status != ItemStatus.OPEN:
        raise ItemAlreadyDecided(f"Dit aandachtspunt is al {locked.get_status_display().lower()}.")
    return locked


def _decided(locked: AttentionItem, *, by: User, actor: Actor, now: datetime, reason: str) -> None:
    locked.decided_at, locked.decided_by, locked.updated_at = now, by, now
    locked.decided_by_label = person_name(by)
    locked.next_step_at = None
    locked.save()
    access_log_record(
        actor=actor,
        action=AccessAction.UPDATE,
        object_type="attention.attentionitem",
        object_id=locked.pk,
        subject=household_subject(locked.household),
        municipality_code="",
        context="attention:decide",
        reason=reason,
        now=now,
    )


@transaction.atomic
def item_take_up(*, item: AttentionItem, how: str, note: str, by: User, actor: Actor, now: datetime) -> AttentionItem:
    """A person decides to act: outreach, a contact plan or a case conference. Recorded, nothing more."""
    if how not in TakeUp.values:
        raise InvalidDecision("Kies hoe het wordt opgepakt.", field="how")
    note = (note or "").strip()
    if len(note) > MAX_REASON:
        raise InvalidDecision(f"Hooguit {MAX_REASON} tekens.", field="note")
    locked = _locked_open(item)
    locked.status, locked.take_up, locked.decision_note = ItemStatus.TAKEN_UP, how, note
    _decided(locked, by=by, actor=actor, now=now, reason=f"opgepakt: {how}")
    return locked


@transaction.atomic
def item_dismiss(*, item: AttentionItem, reason: str, by: User, actor: Actor, now: datetime) -> AttentionItem:
    """A person decides that no action is needed, and says why. The item stays away until a new signal."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidDecision("Geef een reden waarom dit huishouden geen aandacht nodig heeft.", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidDecision(f"Hooguit {MAX_REASON} tekens.", field="reason")
    locked = _locked_open(item)
    locked.status, locked.decision_note = ItemStatus.DISMISSED, reason
    _decided(locked, by=by, actor=actor, now=now, reason="afgewezen")
    return locked


def items_take_up_for_conference(*, conference: Any, by: User, actor: Actor, now: datetime) -> int:
    """A case conference convened about a household takes up its open items that the convener sees: the
    convener decided to act, and the item records how. Called by cases inside the convening transaction."""
    taken = 0
    # Named by its date, which the team recognises, not by a counter id.
    note = f"Casusoverleg belegd op {conference.meets_on:%d-%m-%Y}"
    for item in items_visible_to(by).filter(household_id=conference.household_id, status=ItemStatus.OPEN):
        item_take_up(item=item, how=TakeUp.CASE_CONFERENCE, note=note, by=by, actor=actor, now=now)
        taken += 1
    return taken
