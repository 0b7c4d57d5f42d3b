"""The pilot light: contact plans, contact moments, the resident's early-warning plan and the consent registry.

Strengths and wishes, never diagnoses (PRODUCT.md, values): there is no field for a condition, only for how
it is going, what the resident notices and what helps. Names and phone numbers of people the resident wants
called are encrypted at rest.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.encryption import EncryptedCharField
from waakvlam.core.models import Municipality, Organisation, Team
from waakvlam.core.public_ids import PublicIdModel
from waakvlam.households.models import Resident

MAX_NOTE = 500
MAX_PLAN_TEXT = 1000
MAX_RHYTHM_DAYS = 365


class Basis(models.TextChoices):
    """Why we may keep contact at all (GDPR art. 6): the resident agreed, or a statutory task."""

    CONSENT = "consent", _("Toestemming van de bewoner")
    LEGAL_TASK = "legal_task", _("Wettelijke taak (Wmo / Wet publieke gezondheid)")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    CLOSED = "closed", _("Afgesloten")


class Channel(models.TextChoices):
    VISIT = "visit", _("Huisbezoek")
    PHONE = "phone", _("Telefoon")
    STREET = "street", _("Op straat")
    ACTIVITY = "activity", _("Bij een activiteit")


class Wellbeing(models.TextChoices):
    FINE = "fine", _("Gaat goed")
    WORRIED = "worried", _("Zorgen")
    SERIOUS = "serious", _("Ernstige zorgen")


class EscalationReason(models.TextChoices):
    FAILED_ATTEMPTS = "failed_attempts", _("Meerdere keren geen contact")
    OVERDUE = "overdue", _("Contact te lang uitgebleven")


class ContactPlan(PublicIdModel):
    """The standing low-intensity contact with one resident: who keeps it, how often, and on what basis."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="contact_plans")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contact_plans")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="contact_plans")
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_plans", verbose_name=_("waakvlammer")
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backup_contact_plans",
        verbose_name=_("back-up"),
    )
    rhythm_days = models.PositiveSmallIntegerField(
        _("ritme in dagen"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RHYTHM_DAYS)], default=14
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("einde"), null=True, blank=True)
    basis = models.CharField(_("grondslag"), max_length=12, choices=Basis.choices)
    basis_note = models.CharField(_("toelichting grondslag"), max_length=200, blank=True)
    basis_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    basis_recorded_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    # The signal that made someone start this contact, if any (a plan can also start from a handover or a visit).
    signal = models.ForeignKey(
        "intake.Signal", on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_plans"
    )
    # Kept up to date by the services (contact_record, plan_update), so lists and the sweep need no aggregate.
    last_contact_on = models.DateField(_("laatste contact"), null=True, blank=True)
    next_contact_due = models.DateField(_("volgend contact uiterlijk"), db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(_("pogingen zonder contact op rij"), default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(max_length=20, choices=EscalationReason.choices, blank=True)
    # The follow-up clock (waakvlam/followup): the level reached and the next step (NULL: at the due time).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reden afsluiten"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("waakvlamcontact")
        verbose_name_plural = _("waakvlamcontacten")
        ordering = ["next_contact_due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rhythm_days__gte=1, rhythm_days__lte=MAX_RHYTHM_DAYS), name="contact_plan_rhythm"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="contact_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(backup__isnull=True) | ~models.Q(backup=models.F("steward")),
                name="contact_plan_backup_not_steward",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="contact_plan_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["steward", "status", "next_contact_due"], name="contact_plan_steward_due"),
            models.Index(fields=["team", "status", "next_contact_due"], name="contact_plan_team_due"),
            # The insight pass reads the plans changed since its last run (insight/rollups.py).
            models.Index(fields=["updated_at"], name="contact_plan_updated"),
            # The insight figure "flames going out" (active plans past their due contact) per municipality:
            # a range of this small partial index, then each plan's household (insight/selectors.py).
            models.Index(
                fields=["municipality", "next_contact_due"],
                include=["organisation", "resident"],
                condition=models.Q(status="active"),
                name="contact_plan_active_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Waakvlamcontact {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.next_contact_due).days)


def next_contact_due(*, starts_on: date, last_contact_on: date | None, rhythm_days: int) -> date:
    """Next contact due = the last successful contact (or the start) + the rhythm."""
    return (last_contact_on or starts_on) + timedelta(days=rhythm_days)


class ContactPlanEvent(models.Model):
    """One append-only step in a plan's history: started, changed, handed to the back-up, escalated, closed."""

    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class ContactMoment(PublicIdModel):
    """A short line in the contact log: when, how, whether contact was made and how it is going."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="moments")
    happened_on = models.DateField(_("datum"))
    channel = models.CharField(_("hoe"), max_length=10, choices=Channel.choices)
    made = models.BooleanField(_("contact gehad"))
    wellbeing = models.CharField(_("hoe gaat het"), max_length=10, choices=Wellbeing.choices, blank=True)
    note = models.CharField(_("korte notitie"), max_length=MAX_NOTE, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(made=True) | models.Q(wellbeing=""), name="contact_moment_wellbeing_only_if_made"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "happened_on"], name="contact_moment_plan_day"),
            # The insight pass counts a municipality's days with new moments again (insight/rollups.py).
            models.Index(fields=["municipality", "happened_on"], name="contact_moment_muni_day"),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_channel_display()}"


class Phase(models.TextChoices):
    GREEN = "green", _("Groen: het gaat goed")
    ORANGE = "orange", _("Oranje: het gaat minder")
    RED = "red", _("Rood: het gaat niet goed")


PHASE_PARTS = ("signs", "self", "network", "professionals")


class EarlyWarningPlan(PublicIdModel):
    """The resident's own signaleringsplan: per phase the early signs, what the resident does, what the
    network does and what professionals do; and whom to call. Written with the resident, in their words."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="early_warning_plan")
    strengths = models.TextField(_("wat goed gaat, wat helpt, wensen"), max_length=MAX_PLAN_TEXT, blank=True)
    green_signs = models.TextField(_("zo merk ik dat het goed gaat"), max_length=MAX_PLAN_TEXT, blank=True)
    green_self = models.TextField(_("wat ik zelf doe"), max_length=MAX_PLAN_TEXT, blank=True)
    green_network = models.TextField(_("wat mijn omgeving doet"), max_length=MAX_PLAN_TEXT, blank=True)
    green_professionals = models.TextField(_("wat hulpverleners doen"), max_length=MAX_PLAN_TEXT, blank=True)
    orange_signs = models.TextField(_("vroege signalen"), max_length=MAX_PLAN_TEXT, blank=True)
    orange_self = models.TextField(_("wat ik zelf doe"), max_length=MAX_PLAN_TEXT, blank=True)
    orange_network = models.TextField(_("wat mijn omgeving doet"), max_length=MAX_PLAN_TEXT, blank=True)
    orange_professionals = models.TextField(_("wat hulpverleners doen"), max_length=MAX_PLAN_TEXT, blank=True)
    red_signs = models.TextField(_("signalen van een crisis"), max_length=MAX_PLAN_TEXT, blank=True)
    red_self = models.TextField(_("wat ik zelf doe"), max_length=MAX_PLAN_TEXT, blank=True)
    red_network = models.TextField(_("wat mijn omgeving doet"), max_length=MAX_PLAN_TEXT, blank=True)
    red_professionals = models.TextField(_("wat hulpverleners doen"), max_length=MAX_PLAN_TEXT, blank=True)
    agreed_on = models.DateField(_("besproken met de bewoner op"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("signaleringsplan")
        verbose_name_plural = _("signaleringsplannen")

    def __str__(self) -> str:
        return f"Signaleringsplan {self.pk}"

    def phases(self) -> list[dict[str, object]]:
        """The three phases with their four parts, in order, for templates and the API."""
        return [
            {"phase": value, "label": label, **{part: getattr(self, f"{value}_{part}") for part in PHASE_PARTS}}
            for value, label in Phase.choices
        ]


class CallMoment(models.TextChoices):
    ORANGE = "orange", _("Bij oranje")
    RED = "red", _("Bij rood")
    ALWAYS = "always", _("Altijd")


class EarlyWarningContact(models.Model):
    """Someone the resident wants called, with their consent. Name, relation and phone are encrypted."""

    plan = models.ForeignKey(EarlyWarningPlan, on_delete=models.CASCADE, related_name="people")
    # Encrypted fields store an empty value as NULL, hence null=True.
    name = EncryptedCharField(_("naam"), max_length=200, null=True, blank=True)
    relation = EncryptedCharField(_("relatie"), max_length=100, null=True, blank=True)
    phone = EncryptedCharField(_("telefoon"), max_length=40, null=True, blank=True)
    call_when = models.CharField(_("bellen"), max_length=8, choices=CallMoment.choices, default=CallMoment.ORANGE)
    consent_given = models.BooleanField(_("deze persoon weet ervan en vindt het goed"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(consent_given=True), name="ew_contact_has_consent"),
        ]

    def __str__(self) -> str:
        return self.name or ""


class DataKind(models.TextChoices):
    CONTACT_PLAN = "contact_plan", _("Waakvlamcontact")
    EARLY_WARNING_PLAN = "early_warning_plan", _("Signaleringsplan")
    HANDOVER = "handover", _("Gegevens warme overdracht")


class Consent(PublicIdModel):
    """Who consented to share what with which organisation, for which purpose, until when; revocable.

    Permissions read this table on every request, so revoking takes effect on the next one."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="consents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consents", verbose_name=_("organisatie")
    )
    data_kind = models.CharField(_("gegevens"), max_length=20, choices=DataKind.choices)
    purpose = models.CharField(_("doel"), max_length=200)
    valid_from = models.DateField(_("geldig vanaf"))
    # Required: every consent ends or is reviewed (contact/consent_rules.py, docs/decisions/0010).
    valid_until = models.DateField(_("geldig tot en met (of herzien op)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("reden intrekken"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="consent_until_on_or_after_from"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "data_kind", "resident"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"{self.get_data_kind_display()} → {self.organisation}"

    def is_active(self, today: date) -> bool:
        return self.revoked_at is None and self.valid_from <= today <= self.valid_until


def active_consents(today: date) -> models.QuerySet[Consent]:
    return Consent.objects.filter(revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today)
