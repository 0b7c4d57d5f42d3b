"""A resident's needs, recorded by the steward in the social map's own taxonomy of needs.

The minimum (need, resident, who recorded it and when, when it ended): what the resident needs is special
category data about them, so nothing else is kept, the same need-to-know as their contact plan applies
(need_selectors.py), and every read and write is access-logged naming the resident.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.households.models import Resident


class ResidentNeed(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="needs")
    term = models.ForeignKey("socialmap.TaxonomyTerm", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("behoefte van een bewoner")
        verbose_name_plural = _("behoeften van bewoners")
        ordering = ["recorded_at", "pk"]
        constraints = [
            # One open record per need and resident: recording it again changes nothing.
            models.UniqueConstraint(
                fields=["resident", "term"], condition=models.Q(ended_at=None), name="socialmap_need_one_open"
            )
        ]

    def __str__(self) -> str:
        # The need's name only: never the resident's (it appears in choices on a referral form).
        return self.term.name
