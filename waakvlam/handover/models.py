"""Warm handovers: a clinic or shelter announces a discharge, the neighbourhood's steward team accepts it,
a checklist is followed through, and the first contact happens within the agreed number of days."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Address, Municipality, Organisation, Team
from waakvlam.core.public_ids import PublicIdModel
from waakvlam.households.models import Household, Resident

MAX_ITEM_TEXT = 300
DEFAULT_FIRST_CONTACT_DAYS = 5
DEFAULT_OVERLAP_DAYS = 28


class HandoverStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Aangekondigd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    FIRST_CONTACT = "first_contact", _("Eerste contact geweest")
    CLOSED = "closed", _("Afgesloten")


OPEN_STATUSES = (HandoverStatus.ANNOUNCED, HandoverStatus.ACCEPTED, HandoverStatus.FIRST_CONTACT)


class ChecklistTopic(models.TextChoices):
    HOUSING = "housing", _("Wonen")
    INCOME = "income", _("Inkomen / budgetcoach")
    DAYTIME = "daytime", _("Dagbesteding")
    GP = "gp", _("Huisarts")
    NETWORK = "network", _("Netwerk")
    EARLY_WARNING_PLAN = "early_warning_plan", _("Signaleringsplan")


class ItemState(models.TextChoices):
    OPEN = "open", _("Nog niet geregeld")
    DONE = "done", _("Geregeld")
    SKIPPED = "skipped", _("Niet nodig (met reden)")


class Handover(PublicIdModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="handovers")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="handovers_sent", verbose_name=_("van organisatie")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=150, blank=True)
    # The sending clinician and how to reach them, as recorded on the handover: the receiving steward calls
    # this person with questions during the overlap, whatever happens to the user account later.
    sender_name = models.CharField(_("behandelaar"), max_length=150, blank=True)
    sender_phone = models.CharField(_("telefoon behandelaar"), max_length=30, blank=True)
    sender_email = models.EmailField(_("e-mail behandelaar"), blank=True)
    discharge_on = models.DateField(_("datum uitstroom"))
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+", verbose_name=_("nieuw adres"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="handovers")
    receiving_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="handovers_received", verbose_name=_("ontvangend team")
    )
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("waakvlammer"),
    )
    status = models.CharField(_("status"), max_length=14, choices=HandoverStatus.choices, default="announced")
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    first_contact_within_days = models.PositiveSmallIntegerField(_("eerste contact binnen (dagen)"), default=5)
    first_contact_due = models.DateField(_("eerste contact uiterlijk"))
    first_contact_on = models.DateField(_("eerste contact op"), null=True, blank=True)
    # Until this day the sending organisation still sees the contact plan (the overlap of a warm handover).
    overlap_until = models.DateField(_("overlap tot en met"))
    contact_plan = models.ForeignKey(
        "contact.ContactPlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="handovers"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    housing_informed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The follow-up clock (waakvlam/followup): the level reached and the next step (NULL: at the due time).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("warme overdracht")
        verbose_name_plural = _("warme overdrachten")
        ordering = ["discharge_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_contact_due__gte=models.F("discharge_on")), name="handover_due_after_discharge"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False), name="handover_closed_date"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "first_contact_due"], name="handover_open_due"),
            # The insight pass reads the handovers changed since its last run (insight/rollups.py).
            models.Index(fields=["updated_at"], name="handover_updated"),
        ]

    def __str__(self) -> str:
        return f"Warme overdracht {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != HandoverStatus.CLOSED

    def first_contact_overdue(self, today: date) -> bool:
        return self.is_open and self.first_contact_on is None and self.first_contact_due < today


class HandoverItem(models.Model):
    """One line of the checklist: arranged, not yet, or not needed — and then with the reason why."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(_("onderdeel"), max_length=20, choices=ChecklistTopic.choices)
    state = models.CharField(_("stand"), max_length=8, choices=ItemState.choices, default=ItemState.OPEN)
    note = models.CharField(_("wat is afgesproken"), max_length=MAX_ITEM_TEXT, blank=True)
    skip_reason = models.CharField(_("reden"), max_length=MAX_ITEM_TEXT, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "topic"], name="handover_item_once"),
            models.CheckConstraint(
                condition=~models.Q(state="skipped") | ~models.Q(skip_reason=""), name="handover_item_skip_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.get_state_display()}"

    @property
    def settled(self) -> bool:
        return self.state == ItemState.DONE or (self.state == ItemState.SKIPPED and bool(self.skip_reason.strip()))


class HandoverEvent(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
