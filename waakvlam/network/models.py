"""The informal network: family, neighbours, buddies, volunteers and peer workers who carry part of the pilot
light. A supporter is linked to a resident only with the resident's consent, recorded on the link itself
(who recorded it, on what basis, until when, revocable): contact's Consent registry is per organisation and
kind of professional data, which does not fit a person outside any organisation.

A supporter sees only the residents linked to them (first name and what they need to know) and reports a
visit in one step; a worry becomes a signal through intake's service and a note to the plan's steward."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Municipality, Team
from waakvlam.core.public_ids import PublicIdModel
from waakvlam.households.models import Resident

MAX_NOTE = 300


class SupporterKind(models.TextChoices):
    FAMILY = "family", _("Familie")
    NEIGHBOUR = "neighbour", _("Buur")
    BUDDY = "buddy", _("Maatje")
    VOLUNTEER = "volunteer", _("Vrijwilliger")
    PEER_WORKER = "peer_worker", _("Ervaringsdeskundige")


class Outcome(models.TextChoices):
    FINE = "fine", _("Bezocht, alles goed")
    WORRIED = "worried", _("Ik maak me zorgen")


class SupporterLink(PublicIdModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supporter_links")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="supporter_links")
    kind = models.CharField(_("soort steun"), max_length=12, choices=SupporterKind.choices)
    # Volunteers and peer workers are attached to a team; family and neighbours are not.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    what_to_know = models.CharField(_("wat je moet weten"), max_length=MAX_NOTE, blank=True)
    consent_note = models.CharField(_("hoe de bewoner toestemming gaf"), max_length=200)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField()
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("koppeling informele steun")
        verbose_name_plural = _("koppelingen informele steun")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supporter", "resident"], condition=Q(revoked_at__isnull=True), name="supporter_link_once"
            ),
            models.CheckConstraint(condition=~Q(consent_note=""), name="supporter_link_has_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → bewoner {self.resident_id}"

    def is_active(self, today: date) -> bool:
        return self.revoked_at is None and (self.valid_until is None or self.valid_until >= today)


class SupporterReport(models.Model):
    """One visit reported by a supporter: all fine, or a worry (which then became `signal`)."""

    link = models.ForeignKey(SupporterLink, on_delete=models.CASCADE, related_name="reports")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    note = models.CharField(_("korte toelichting"), max_length=MAX_NOTE, blank=True)
    at = models.DateTimeField()
    signal = models.ForeignKey(
        "intake.Signal", on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.at:%Y-%m-%d}"
