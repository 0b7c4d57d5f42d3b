"""Signals: a worry reported about a resident, household or address, and its append-only history."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.core.encryption import EncryptedCharField, EncryptedTextField
from waakvlam.core.models import Address, Municipality, Neighbourhood, Organisation, Team


class Category(models.TextChoices):
    NUISANCE = "nuisance", _("Overlast")
    NEGLECT = "neglect", _("Vervuiling / verwaarlozing")
    WORRYING_BEHAVIOUR = "worrying_behaviour", _("Zorgwekkend gedrag")
    PAYMENT_ARREARS = "payment_arrears", _("Betalingsachterstand")
    EVICTION_RISK = "eviction_risk", _("Dreigende huisuitzetting")
    ISOLATION = "isolation", _("Eenzaamheid / isolement")
    DISCHARGE = "discharge", _("Uitstroom uit zorg of opvang")
    RELAPSE_SIGNS = "relapse_signs", _("Signalen van terugval")
    SAFETY_FOR_WORKERS = "safety_for_workers", _("Agressie / veiligheid")
    OTHER = "other", _("Anders")


# The one word per urgency level, on every screen, form, list and notification (docs/glossary.md); the
# Dutch msgids themselves, for texts stored in Dutch and translated when read (notify/catalogue.py).
URGENCY_WORDS = {"normal": gettext_noop("Normaal"), "high": gettext_noop("Urgent")}


class Urgency(models.TextChoices):
    NORMAL = "normal", _(URGENCY_WORDS["normal"])
    HIGH = "high", _(URGENCY_WORDS["high"])


class Status(models.TextChoices):
    """The one word per state of a signal (docs/glossary.md): the signal page, its history, lists, exports and
    the reporter's tracking page all read these labels. `assigned` is stored for a signal a person has
    picked up (routing's claim), so it reads "Opgepakt", as the reporter sees it."""

    RECEIVED = "received", _("Ontvangen")
    ASSIGNED = "assigned", _("Opgepakt")
    IN_PROGRESS = "in_progress", _("In behandeling")
    CLOSED = "closed", _("Afgesloten")


class TrackingStatus(models.TextChoices):
    """All a reporter ever sees of a signal (the tracking page, the signaller's own list): the same words as
    the signal's own status, so the reporter and the steward never read two words for one state."""

    RECEIVED = "received", Status.RECEIVED.label
    PICKED_UP = "picked_up", Status.ASSIGNED.label
    CLOSED = "closed", Status.CLOSED.label


class Outcome(models.TextChoices):
    CONTACT_MADE = "contact_made", _("Contact gelegd")
    REFERRED = "referred", _("Doorverwezen")
    EXISTING_SUPPORT = "existing_support", _("Bestaande hulp aanwezig")
    NO_CONCERN = "no_concern", _("Geen zorgen")
    UNREACHABLE = "unreachable", _("Niet bereikbaar")
    DUPLICATE = "duplicate", _("Dubbele melding")


class SourceKind(models.TextChoices):
    """Where a signal comes from; routing rules can match on it."""

    PROFESSIONAL = "professional", _("Professional")
    RESIDENT = "resident", _("Bewoner / buurtgenoot")
    PARTNER_SYSTEM = "partner_system", _("Partnersysteem")
    HOUSING = "housing", _("Woningcorporatie (achterstand)")
    ENERGY = "energy", _("Energieleverancier")
    WATER = "water", _("Waterbedrijf")
    HEALTH_INSURANCE = "health_insurance", _("Zorgverzekeraar")
    # A worry raised by an informal supporter (family, neighbour, buddy, volunteer): its own source, so the
    # attention rules count the network as a source beside the resident's own report and the professionals.
    NETWORK = "network", _("Informeel netwerk")
    OTHER = "other", _("Anders")


class Signal(models.Model):
    # Every query on municipality narrows further (status, team, neighbourhood), and its own index would
    # hold a million equal keys per municipality: left without one (the import writes it per row).
    #
    # No foreign key in the database on any of the signal's references (db_constraint=False; ADR 0008): a
    # bulk import paid nine row-by-row checks at COMMIT per signal, most of PostgreSQL's time. Django still
    # emulates on_delete, nothing in Waakvlam deletes the rows referred to (reference data, addresses,
    # households, signals: anonymised, never deleted), and every writer takes the ids it stores from rows it
    # has just read or created in the same transaction.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, db_index=False, db_constraint=False)
    # Unique through Meta.constraints: unique=True would add a second (varchar_pattern_ops) index on
    # PostgreSQL for LIKE 'x%' look-ups, and a tracking code is only ever looked up whole.
    tracking_code = models.CharField(_("volgcode"), max_length=16)
    category = models.CharField(_("soort zorg"), max_length=32, choices=Category.choices)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("wat is er gezien"), max_length=5000, blank=True)
    # What anyone but the owning team sees: names, phone numbers, BSNs and e-mail addresses masked.
    description_masked = models.TextField(_("wat is er gezien (afgeschermd)"), max_length=6000, blank=True)
    # The kinds of personal data the free-text check found ("name", "phone", "bsn", "email").
    privacy_flags = models.JSONField(default=list, blank=True)
    address = models.ForeignKey(
        Address, on_delete=models.PROTECT, null=True, blank=True, related_name="signals", db_constraint=False
    )
    # Every signal with an address belongs to the household at that address (households/linking.py).
    # Named by label: households sits above intake (docs/architecture.md, "Layers").
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        verbose_name=_("huishouden"),
        db_constraint=False,
        db_index=False,  # signal_household below leads with it
    )
    location_text = models.CharField(_("plek"), max_length=200, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, db_constraint=False
    )
    observed_at = models.DateTimeField(_("gezien op"), null=True, blank=True)
    received_at = models.DateTimeField(_("ontvangen op"), db_index=True)
    source_kind = models.CharField(_("bron"), max_length=20, choices=SourceKind.choices)
    # Looked up only together with external_id, which the unique constraint (Meta) indexes.
    reporter_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_signals",
        db_index=False,
        db_constraint=False,
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_signals",
        db_index=False,  # a partial index (Meta): most signals have no reporting user (public, API, import)
        db_constraint=False,
    )
    external_id = models.CharField(_("eigen kenmerk"), max_length=100, blank=True)
    # A reporter's own contact details (public form), encrypted at rest; name and phone only when the
    # reporter allows contact. The e-mail address is kept for the tracking e-mails and found by its index.
    reporter_name = EncryptedCharField(_("naam melder"), max_length=200, null=True, blank=True)
    reporter_phone = EncryptedCharField(_("telefoon melder"), max_length=40, null=True, blank=True)
    reporter_email = EncryptedCharField(_("e-mail melder"), max_length=254, null=True, blank=True)
    reporter_email_index = models.CharField(max_length=64, blank=True, editable=False)  # partial index: Meta
    reporter_may_contact = models.BooleanField(_("melder mag benaderd worden"), default=False)
    # Payment arrears (vroegsignalering, mostly from the bulk import): how much and for how long.
    arrears_amount = models.DecimalField(
        _("achterstand (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    arrears_months = models.PositiveSmallIntegerField(_("achterstand (maanden)"), null=True, blank=True)
    # The debtor's contact details as one encrypted JSON object (surname, initials, birth_date, phone,
    # email), shown only to the owning team. One field, not five: Fernet costs ~20 µs per value, and a
    # million-row import would spend most of its time encrypting. debtor_index is a blind index over the
    # normalised surname and birth date, so the privacy officer can find a person's signals without
    # decrypting every row.
    debtor_details = EncryptedTextField(_("gegevens van de debiteur"), null=True, blank=True)
    debtor_index = models.CharField(max_length=64, blank=True, editable=False)  # partial index: Meta
    # Closed as a duplicate of this one (signal_merge); both histories stay.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        db_index=False,
        db_constraint=False,
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    owner_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="signals", db_constraint=False)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_signals",
        db_index=False,  # a partial index (Meta): most signals are owned by a team only
        db_constraint=False,
    )
    due_at = models.DateTimeField(_("uiterlijk opgepakt"))  # indexed with status (Meta: signal_open_due)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # The follow-up clock's next step (waakvlam/followup): NULL means "at the due time". due_at itself never
    # moves when the signal escalates, so "late" always means past the time it was due.
    next_step_at = models.DateTimeField(null=True, blank=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="signal_unique_tracking_code"),
            models.UniqueConstraint(
                fields=["reporter_organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="signal_unique_external_id_per_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""), name="signal_closed_has_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="signal_open_due"),
            # The open signals nobody picked up, by due time: what the deadline sweep escalates and the insight
            # pass counts as "stuck". Only those rows, so the lookup reads the few late ones instead of every
            # signal (at ten million signals the planner scanned the whole table for (status, due_at)).
            models.Index(
                fields=["due_at"],
                condition=models.Q(picked_up_at__isnull=True) & ~models.Q(status="closed"),
                name="signal_unpicked_due",
            ),
            # The regie's stuck page: open signals nobody picked up at the municipality's level of the pickup
            # ladder (routing/followups.py; level 2, checked by tests/followup/test_stuck_index.py), per
            # municipality, in the page's order (highest level, then longest late). The page counts and
            # pages them from this index alone. A new signal (level 0) and the ladder's first step do not
            # enter it, so the import and most of the sweep write nothing here.
            models.Index(
                fields=["municipality", "-escalation_level", "due_at", "id"],
                condition=models.Q(
                    status__in=[Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS],
                    picked_up_at__isnull=True,
                    escalation_level__gte=2,
                ),
                name="signal_at_top",
            ),
            # Every look-up by household (its page, linking, merging) and the attention list's newest
            # counted signal per household (outcome is in the index, so that is read from the index alone),
            # in one index: a new signal then updates one index for its household, not two (issue 13).
            models.Index(fields=["household", "id", "outcome"], name="signal_household"),
            # Partial indexes for columns that are mostly empty: a million imported signals then cost
            # nothing in these indexes (a full index would be written for every row all the same).
            models.Index(
                fields=["reporter_email_index"],
                condition=~models.Q(reporter_email_index=""),
                name="signal_reporter_email",
            ),
            models.Index(
                fields=["reporter_user"], condition=models.Q(reporter_user__isnull=False), name="signal_reporter_user"
            ),
            models.Index(fields=["owner_user"], condition=models.Q(owner_user__isnull=False), name="signal_owner_user"),
            models.Index(fields=["debtor_index"], condition=~models.Q(debtor_index=""), name="signal_debtor"),
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="signal_merged_into"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.tracking_code})"

    @property
    def debtor(self) -> dict[str, str]:
        """The debtor's contact details (decrypted); empty when none were given."""
        if not self.debtor_details:
            return {}
        try:
            value = json.loads(self.debtor_details)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


class SignalEvent(models.Model):
    """One append-only step in a signal's history: received, assigned, claimed, escalated, closed…"""

    # No foreign keys in the database here either (ADR 0008): two history steps per imported signal cost
    # three checks at COMMIT. Steps are append-only and signals are never deleted; Django emulates CASCADE.
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events", db_constraint=False)
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, db_index=False, db_constraint=False
    )  # partial index: Meta
    actor_label = models.CharField(max_length=150, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False)
    note = models.CharField(max_length=500, blank=True)
    # The other signal a step is about (a merge writes one step on each, pointing at the other).
    related_signal = models.ForeignKey(
        Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )  # partial index: Meta

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="signal_event_actor"),
            models.Index(
                fields=["related_signal"], condition=models.Q(related_signal__isnull=False), name="signal_event_related"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class IdempotencyKey(models.Model):
    """The first answer to a POST with an Idempotency-Key, so a retry gets the same answer and creates nothing.

    `scope` is whose key it is (an API key's organisation, or a user), so two partners may use the same key.
    The row is written in the same transaction as the signal it answers for: it exists exactly when the
    signal does, and the unique constraint makes a concurrent duplicate wait for the first and then fail."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class RateCount(models.Model):
    """Requests per client per minute on the public endpoints; shared by every server process.

    `bucket` is a keyed hash of the endpoint and the client address, so no address is stored."""

    bucket = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window_start"], name="rate_count_unique_window")]

    def __str__(self) -> str:
        return f"{self.bucket[:8]}@{self.window_start:%H:%M} = {self.count}"
