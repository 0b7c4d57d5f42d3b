"""Routing rules: which team (or person) owns a new signal, and how soon it must be picked up.

Rules are evaluated per municipality in `position` order; the first active rule whose criteria all match
wins. Every criterion is optional (empty = any). The fallback rule has no criteria, is always evaluated
last, and cannot be switched off, so no signal is ever left without an owner.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waakvlam.core.models import District, Municipality, Neighbourhood, Team
from waakvlam.core.roles import OrganisationKind
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.intake.models import Category, Urgency
from waakvlam.routing.errors import FallbackRequired


class ResponseUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("werkuren")
    WORKING_DAYS = "working_days", _("werkdagen")


class RoutingRule(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="routing_rules")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("naam"), max_length=120)
    # Criteria; empty means "any".
    category = models.CharField(_("soort zorg"), max_length=32, choices=Category.choices, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wijk")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("buurt")
    )
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, blank=True)
    source_organisation_kind = models.CharField(
        _("soort organisatie van de melder"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    # Outcome.
    target_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persoon in dat team"),
    )
    response_amount = models.PositiveSmallIntegerField(_("reactietermijn"))
    response_unit = models.CharField(_("eenheid"), max_length=16, choices=ResponseUnit.choices)
    is_fallback = models.BooleanField(_("vangnet"), default=False, editable=False)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("routeringsregel")
        verbose_name_plural = _("routeringsregels")
        ordering = ["municipality", "is_fallback", "position", "pk"]
        constraints = [
            # One fallback per municipality, and it is always switched on.
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(is_fallback=True), name="routing_one_fallback_per_municipality"
            ),
            models.CheckConstraint(condition=Q(is_fallback=False) | Q(active=True), name="routing_fallback_active"),
            # The fallback catches everything, so it has no criteria.
            models.CheckConstraint(
                condition=Q(is_fallback=False)
                | Q(
                    category="",
                    district__isnull=True,
                    neighbourhood__isnull=True,
                    urgency="",
                    source_organisation_kind="",
                ),
                name="routing_fallback_has_no_criteria",
            ),
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(neighbourhood__isnull=True),
                name="routing_district_or_neighbourhood",
            ),
            models.CheckConstraint(condition=Q(response_amount__gte=1), name="routing_response_time_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "active", "position"], name="routing_rule_order")]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_fallback:
            raise FallbackRequired
        return super().delete(*args, **kwargs)

    @property
    def response_time(self) -> timedelta:
        """The response time as working time (a working day is one day of working hours)."""
        if self.response_unit == ResponseUnit.WORKING_DAYS:
            return DEFAULT_CALENDAR.working_day * self.response_amount
        return timedelta(hours=self.response_amount)

    def response_time_display(self) -> str:
        """ "1 werkdag", "2 werkdagen": singular and plural right, in the UI's language."""
        n = self.response_amount
        if self.response_unit == ResponseUnit.WORKING_DAYS:
            return ngettext("%(n)d werkdag", "%(n)d werkdagen", n) % {"n": n}
        return ngettext("%(n)d werkuur", "%(n)d werkuren", n) % {"n": n}

    def criteria_display(self) -> list[str]:
        """The criteria in words, for the coordinator's list; empty = matches every signal."""
        parts: list[str] = []
        if self.category:
            parts.append(str(self.get_category_display()))
        if self.neighbourhood_id:
            parts.append(str(_("buurt %(name)s") % {"name": self.neighbourhood}))
        if self.district_id:
            parts.append(str(_("wijk %(name)s") % {"name": self.district}))
        if self.urgency:
            parts.append(str(_("urgentie %(u)s") % {"u": self.get_urgency_display()}))
        if self.source_organisation_kind:
            parts.append(str(_("melder: %(k)s") % {"k": self.get_source_organisation_kind_display()}))
        return parts
