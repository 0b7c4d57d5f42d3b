"""Referrals: a steward connects a resident to a service or activity, and the loop is closed.

Every referral has an owner from the moment it is sent (the activity's keeper, else the tenant
organisation that offers the service, else the sender's own organisation, which then records the answer
itself) and an `answer_due_at` that is never moved. `escalation_level` and `next_step_at` are there for
the one follow-up mechanism (waakvlam/followup), which declares "referral answer" as a kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.encryption import EncryptedCharField
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, Team
from waakvlam.core.public_ids import PublicIdModel
from waakvlam.households.models import Resident

MAX_REASON = 300


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Verstuurd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    CONNECTED = "connected", _("Gekomen")
    NO_SHOW = "no_show", _("Niet gekomen")
    ENDED = "ended", _("Beëindigd")


# The one table that says what a referral may become next (Amsterdam/signals' ALLOWED_STATUS_CHANGES).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.ENDED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.CONNECTED, ReferralStatus.NO_SHOW, ReferralStatus.ENDED}),
    ReferralStatus.NO_SHOW: frozenset({ReferralStatus.CONNECTED, ReferralStatus.ENDED}),
    ReferralStatus.CONNECTED: frozenset({ReferralStatus.ENDED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.ENDED: frozenset(),
}
# A place is held from acceptance until the referral leaves these states.
HOLDS_PLACE = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.CONNECTED, ReferralStatus.NO_SHOW})
OPEN_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.NO_SHOW, ReferralStatus.CONNECTED}
)


class Shared(models.TextChoices):
    """What the resident agreed may go to the receiving side (consent, GDPR art. 6/9)."""

    FIRST_NAME = "first_name", _("Alleen de voornaam")
    NAME_PHONE = "name_phone", _("Naam en telefoonnummer")
    NAME_PHONE_NOTE = "name_phone_note", _("Naam, telefoonnummer en een korte toelichting")


class Referral(PublicIdModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("socialmap.Service", on_delete=models.PROTECT, related_name="referrals")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="referrals")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Where it came from: a signal or a contact plan (a case later).
    signal = models.ForeignKey("intake.Signal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact_plan = models.ForeignKey(
        "contact.ContactPlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    # The resident's recorded need this referral answers, when the steward came from one.
    need = models.ForeignKey(
        "socialmap.ResidentNeed", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent")
    sender_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    sender_team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The owner: the keeper, or else the organisation that answers.
    owner_keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_owned"
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_owned"
    )
    collective = models.BooleanField(default=False)  # copied from the service when sent, for the counts
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    # Consent: what is shared, recorded by whom and when. The resident's details are encrypted at rest.
    shared = models.CharField(_("wat mag gedeeld worden"), max_length=16, choices=Shared.choices)
    shared_name = EncryptedCharField(_("naam zoals gedeeld"), max_length=200, null=True, blank=True)
    shared_phone = EncryptedCharField(_("telefoon"), max_length=40, null=True, blank=True)
    shared_note = EncryptedCharField(_("toelichting"), max_length=MAX_REASON, null=True, blank=True)
    consent_recorded_at = models.DateTimeField()
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    warm_introduction = models.BooleanField(_("eerste keer meegegaan"), default=False)
    decline_reason = models.CharField(_("reden afwijzing"), max_length=MAX_REASON, blank=True)
    place_held = models.BooleanField(default=False)
    answer_due_at = models.DateTimeField(_("antwoord uiterlijk"))
    answered_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_keeper__isnull=False) | models.Q(owner_organisation__isnull=False),
                name="socialmap_referral_has_owner",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="socialmap_referral_declined_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "answer_due_at"], name="socialmap_referral_due"),
            models.Index(fields=["owner_organisation", "status"], name="socialmap_referral_org"),
            models.Index(fields=["owner_keeper", "status"], name="socialmap_referral_keeper"),
            models.Index(fields=["updated_at"], name="socialmap_referral_updated"),  # the insight pass: changed since
            # ... and the referrals of its changed days (insight/casework.py)
            models.Index(fields=["municipality", "created_at"], name="socialmap_referral_muni_sent"),
        ]

    def __str__(self) -> str:
        return f"Verwijzing {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralEvent(models.Model):
    """One append-only step: who changed the status to what, when, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    # "status" for an answer or a change; "escalated" when the follow-up clock chased an unanswered one.
    kind = models.CharField(max_length=20, default="status")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=MAX_REASON, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
