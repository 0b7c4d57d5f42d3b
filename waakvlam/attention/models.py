"""The attention list: households where signals come together, each item with the rules that fired and the
signals behind them; and the functional admin's configuration of those rules, one version per change.

An item changes nothing by itself (GDPR art. 22): a person takes it up or dismisses it with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.id_feed import IdCursor
from waakvlam.core.models import Municipality, Team
from waakvlam.core.public_ids import PublicIdModel
from waakvlam.households.models import Household

MAX_REASON = 500


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TAKEN_UP = "taken_up", _("Opgepakt")
    DISMISSED = "dismissed", _("Afgewezen")
    # The rules stopped firing before anyone decided (a window passed, a contact was made).
    LAPSED = "lapsed", _("Vervallen")


DECIDED = (ItemStatus.TAKEN_UP, ItemStatus.DISMISSED)


class TakeUp(models.TextChoices):
    OUTREACH = "outreach", _("Outreach: op bezoek of bellen")
    CONTACT_PLAN = "contact_plan", _("Waakvlamcontact starten")
    CASE_CONFERENCE = "case_conference", _("Casusoverleg")


class RuleConfiguration(models.Model):
    """One version of a municipality's attention rules: which are on and their parameters. Append-only; the
    newest version is the one in force, so every item can say under which configuration it was raised."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    # {rule name: {"enabled": bool, "params": {name: int}}}; rules missing here take their declared defaults.
    rules = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["municipality", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "version"], name="attention_config_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} v{self.version}"


class AttentionItem(PublicIdModel):
    """One household on the attention list, for one owning team, with why it is there (`reasons`)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    # No single-column indexes on household and owner_team: attention_household and attention_team_open start
    # with them. Every index is written for each item the full recompute raises.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="attention_items", db_constraint=False, db_index=False
    )
    owner_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="attention_items", db_index=False)
    status = models.CharField(_("stand"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    # [{"rule", "version", "signals": [{"id", "tracking_code", "date", "source", "category"}], "facts": [...]}]
    reasons = models.JSONField(default=list)
    rule_names = models.CharField(max_length=300, blank=True)  # "a,b": for filtering and the list
    config_version = models.PositiveIntegerField(default=0)
    # The household's newest signal id when the item was last computed: a decided item comes back only
    # when a signal with a higher id arrives.
    seen_signal_id = models.BigIntegerField(default=0)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    checked_on = models.DateField()
    # For the follow-up clock (the "attention_decision" kind, attention/followups.py): by when a person should
    # decide; never moved. The clock keeps the level reached and the time of its next step.
    decide_by = models.DateTimeField(_("besluiten uiterlijk"))
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    decided_by_label = models.CharField(max_length=150, blank=True)
    take_up = models.CharField(_("opgepakt met"), max_length=20, choices=TakeUp.choices, blank=True)
    decision_note = models.CharField(_("toelichting"), max_length=MAX_REASON, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aandachtspunt")
        verbose_name_plural = _("aandachtspunten")
        ordering = ["decide_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(status="open"), name="attention_one_open_item"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dismissed") | ~models.Q(decision_note=""),
                name="attention_dismissed_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="taken_up") | ~models.Q(take_up=""), name="attention_taken_up_how"
            ),
        ]
        indexes = [
            models.Index(fields=["owner_team", "status", "decide_by"], name="attention_team_open"),
            models.Index(fields=["household", "status"], name="attention_household"),
            models.Index(fields=["status", "checked_on"], name="attention_recheck"),
            # Only decided items name a user: open ones (most of a recompute's writes) stay out of it.
            models.Index(
                fields=["decided_by"], condition=models.Q(decided_by__isnull=False), name="attention_decided_by"
            ),
        ]

    def __str__(self) -> str:
        return f"Aandachtspunt {self.pk}"


class AttentionEvent(models.Model):
    """An item's history, append-only: one row per escalation step the follow-up clock takes."""

    item = models.ForeignKey(AttentionItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class Watermark(models.Model):
    """How far the incremental sweep has read: the last signal id, and the moment of its last pass (for
    contact plans and handovers changed since)."""

    name = models.CharField(max_length=40, unique=True)
    last_signal_id = models.BigIntegerField(default=0)
    last_pass_at = models.DateTimeField(null=True, blank=True)
    # The commit-safe feed's cursor (core/id_feed.py): signals up to safe_signal_id are final and were read;
    # seen_above_safe of those in (safe, last] were read; signal_read_at is the database clock of that read.
    safe_signal_id = models.BigIntegerField(default=0)
    seen_above_safe = models.BigIntegerField(default=0)
    signal_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_signal_id}"

    @property
    def cursor(self) -> IdCursor:
        return IdCursor(
            last_id=self.last_signal_id,
            safe_id=self.safe_signal_id,
            seen=self.seen_above_safe,
            read_at=self.signal_read_at,
        )

    def move_to(self, cursor: IdCursor) -> None:
        self.last_signal_id, self.safe_signal_id = cursor.last_id, cursor.safe_id
        self.seen_above_safe, self.signal_read_at = cursor.seen, cursor.read_at

    CURSOR_FIELDS = ("last_signal_id", "safe_signal_id", "seen_above_safe", "signal_read_at")
