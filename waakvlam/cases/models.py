"""Case conferences (casusoverleg) around one household, area meetings (gebiedsoverleg) about a neighbourhood,
and the tasks for organisations both produce.

A case conference records whether the resident and their chosen network take part, and if not why not; each
invited participant has a recorded basis for sharing and what they may see (scopes), enforced in
selectors.py. An area meeting holds no personal data at all: a neighbourhood, a category and counts.
A task always has an owning organisation; its due date is never moved (the follow-up clock escalates it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waakvlam.cases.workflow import MeetingStatus, TaskStatus
from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.core.public_ids import PublicIdModel
from waakvlam.households.models import Household, Resident

MAX_MINUTES = 2000  # "short minutes": a page, not a dossier
MAX_TEXT = 500


class SharingBasis(models.TextChoices):
    """Why this participant may see anything about the resident (GDPR art. 6 / 9)."""

    CONVENER = "convener", _("Eigen organisatie (roept het overleg bijeen)")
    CONSENT = "consent", _("Toestemming van de bewoner")
    LEGAL_TASK = "legal_task", _("Wettelijke taak")


class Scope(models.TextChoices):
    """What a participant may see besides the case itself (decisions, tasks, minutes)."""

    SIGNALS = "signals", _("Signalen uit de tijdlijn van het huishouden")
    CONTACT_PLAN = "contact_plan", _("Waakvlamcontact")
    EARLY_WARNING_PLAN = "early_warning_plan", _("Signaleringsplan")


class CaseConference(PublicIdModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="case_conferences")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="case_conferences"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="case_conferences")
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(_("waarover gaat het overleg"), max_length=300)
    meets_on = models.DateField(_("datum overleg"))
    resident_takes_part = models.BooleanField(_("de bewoner doet mee"))
    network_takes_part = models.BooleanField(_("het eigen netwerk van de bewoner doet mee"))
    without_resident_reason = models.CharField(_("reden zonder bewoner of netwerk"), max_length=300, blank=True)
    minutes = models.TextField(_("kort verslag"), max_length=MAX_MINUTES, blank=True)
    status = models.CharField(max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.OPEN)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("casusoverleg")
        verbose_name_plural = _("casusoverleggen")
        ordering = ["-meets_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resident_takes_part=True) & Q(network_takes_part=True)) | ~Q(without_resident_reason=""),
                name="case_without_resident_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="case_closed_has_date"
            ),
        ]
        # The insight pass finds what changed since its last run by these moments (insight/casework.py).
        indexes = [
            models.Index(fields=["created_at"], name="case_created_at"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
        ]

    def __str__(self) -> str:
        return f"Casusoverleg {self.pk}"


class Participant(models.Model):
    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    is_director = models.BooleanField(_("regisseur"), default=False)
    basis = models.CharField(_("grondslag voor delen"), max_length=12, choices=SharingBasis.choices)
    basis_note = models.CharField(_("toelichting grondslag"), max_length=200, blank=True)
    sees_signals = models.BooleanField(_("ziet de signalen"), default=False)
    sees_contact_plan = models.BooleanField(_("ziet het waakvlamcontact"), default=False)
    sees_early_warning_plan = models.BooleanField(_("ziet het signaleringsplan"), default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["-is_director", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="participant_once"),
            models.UniqueConstraint(
                fields=["conference"], condition=Q(is_director=True), name="participant_one_director"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    def sees(self, scope: str) -> bool:
        return bool(getattr(self, f"sees_{scope}", False))


class AgendaItem(models.Model):
    """A point on the agenda, drawn from the household timeline when the case is convened: the signal's
    category, date and source only, never its description."""

    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="agenda")
    signal = models.ForeignKey("intake.Signal", on_delete=models.SET_NULL, null=True, db_constraint=False)
    category = models.CharField(max_length=30)
    received_on = models.DateField()
    source = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.category}"


class Decision(models.Model):
    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("besluit"), max_length=MAX_TEXT)
    decided_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Spike(models.Model):
    """Several signals of one category in one neighbourhood within a short window, against its usual level."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=30)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    count = models.PositiveIntegerField()
    usual = models.FloatField()  # signals per window of this length, on average, before it
    detected_at = models.DateTimeField()

    class Meta:
        ordering = ["-detected_at", "-pk"]
        indexes = [
            models.Index(fields=["neighbourhood", "category", "window_end"], name="spike_lookup"),
            models.Index(fields=["detected_at"], name="spike_detected_at"),  # the insight pass: new since
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.count}"


class AreaMeeting(models.Model):
    """A gebiedsoverleg: no residents, no addresses, only the neighbourhood, the category and counts."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    spike = models.ForeignKey(Spike, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("onderwerp"), max_length=300)
    meets_on = models.DateField(_("datum overleg"))
    minutes = models.TextField(_("kort verslag"), max_length=MAX_MINUTES, blank=True)
    status = models.CharField(max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.OPEN)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gebiedsoverleg")
        verbose_name_plural = _("gebiedsoverleggen")
        ordering = ["-meets_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="area_meeting_closed_has_date"
            ),
        ]
        indexes = [  # the insight pass: what changed since its last run
            models.Index(fields=["created_at"], name="area_meeting_created_at"),
            models.Index(fields=["closed_at"], name="area_meeting_closed_at"),
        ]

    def __str__(self) -> str:
        return f"Gebiedsoverleg {self.pk}"


class Task(PublicIdModel):
    """A task for an organisation, from a case conference or an area meeting (exactly one). The due date is
    never moved; `escalation_level` and `next_step_at` belong to the follow-up clock that escalates it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    conference = models.ForeignKey(
        CaseConference, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    area_meeting = models.ForeignKey(AreaMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    title = models.CharField(_("wat moet er gebeuren"), max_length=200)
    done_means = models.CharField(_("klaar als"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_tasks", verbose_name=_("organisatie")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_tasks",
        verbose_name=_("eigenaar"),
    )
    due_on = models.DateField(_("uiterlijk"))
    due_at = models.DateTimeField()  # the end of due_on in the installation's zone; never moved
    status = models.CharField(max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    settle_note = models.CharField(_("toelichting"), max_length=300, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(conference__isnull=False) & Q(area_meeting__isnull=True))
                | (Q(conference__isnull=True) & Q(area_meeting__isnull=False)),
                name="task_one_parent",
            ),
            models.CheckConstraint(condition=~Q(status="dropped") | ~Q(settle_note=""), name="task_dropped_has_reason"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(settled_at__isnull=False), name="task_settled_has_date"
            ),
            # Never without an owner (issue 15): the organisation is required even where the person is not;
            # the column is NOT NULL too, and PROTECT keeps the organisation from being deleted under it.
            models.CheckConstraint(condition=Q(owner_organisation__isnull=False), name="task_has_owner"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="task_open_due"),
            models.Index(fields=["owner_organisation", "status"], name="task_owner_org"),
            models.Index(fields=["created_at"], name="task_created_at"),  # the insight pass: new since
            models.Index(fields=["settled_at"], name="task_settled_at"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN


class TaskEvent(models.Model):
    """A task's history, append-only: one row per escalation step the follow-up clock takes (and whatever
    else a later change wants to record), so "why did the municipality hear of this" has an answer."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
