"""Households (everyone living at one address) and the residents Waakvlam keeps contact with.

A resident is known by name or only by a description ("oudere man, 2e verdieping"): stewards often know
a face before a name. No diagnoses, no protected characteristics (SECURITY.md, minimising).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.encryption import EncryptedCharField
from waakvlam.core.models import Address, Municipality, Neighbourhood
from waakvlam.core.public_ids import PublicIdModel


class Household(PublicIdModel):
    # Municipality and neighbourhood are reference data that is never deleted: no foreign key in the
    # database (ADR 0008), which spares a first import two checks per new household. The address keeps its.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, db_constraint=False)
    address = models.OneToOneField(Address, on_delete=models.PROTECT, related_name="household")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, db_constraint=False
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return str(self.address)


class Resident(PublicIdModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    # Null for someone without a home yet (leaving a shelter before the new address is known).
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="residents")
    # Encrypted fields store an empty value as NULL, hence null=True.
    name = EncryptedCharField(_("naam"), max_length=200, blank=True, null=True)
    description = models.CharField(
        _("herkenbaar aan"),
        max_length=200,
        blank=True,
        help_text=_("Voor wie (nog) geen naam heeft, bijvoorbeeld 'oudere man, 2e verdieping'."),
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bewoner")
        verbose_name_plural = _("bewoners")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(name__isnull=False) | ~models.Q(description=""), name="resident_known_somehow"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.description
