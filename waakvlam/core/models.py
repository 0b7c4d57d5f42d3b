"""The shared kernel: where (municipality, district, neighbourhood, address) and who (organisation,
team, user). Every table that holds residents' data carries its municipality, so it can be scoped,
partitioned and distributed by municipality later (ARCHITECTURE.md, scale-out)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.addresses import address_key
from waakvlam.core.roles import PERSONAL_DATA_ROLES, OrganisationKind, Role

municipality_code = RegexValidator(r"^GM\d{4}$", _("Een gemeentecode is GM gevolgd door 4 cijfers."))
district_code = RegexValidator(r"^WK\d{6}$", _("Een wijkcode is WK gevolgd door 6 cijfers."))
neighbourhood_code = RegexValidator(r"^BU\d{8}$", _("Een buurtcode is BU gevolgd door 8 cijfers."))


class Municipality(models.Model):
    code = models.CharField(_("CBS-code"), max_length=6, unique=True, validators=[municipality_code])
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(_("CBS-code"), max_length=8, unique=True, validators=[district_code])
    name = models.CharField(_("naam"), max_length=100)
    outline = models.JSONField(_("omtrek (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="neighbourhoods")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="neighbourhoods")
    code = models.CharField(_("CBS-code"), max_length=10, unique=True, validators=[neighbourhood_code])
    name = models.CharField(_("naam"), max_length=100)
    outline = models.JSONField(_("omtrek (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """Which neighbourhood a postcode (or a house-number range within it) lies in.

    Addresses are placed in a neighbourhood through this table, so a signal about a new address is routed
    without anyone choosing a neighbourhood by hand."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="postcode_areas")
    postcode = models.CharField(max_length=6, db_index=True)
    street = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    number_from = models.PositiveIntegerField(default=1)
    number_to = models.PositiveIntegerField(default=99999)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number_from__lte=models.F("number_to")), name="postcode_area_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.postcode} {self.number_from}-{self.number_to}"


class Address(models.Model):
    """A Dutch address, normalised. `key` makes `3511 ab 12-a` and `3511AB 12 A` the same address."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="addresses"
    )
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    city = models.CharField(_("plaats"), max_length=80, blank=True)
    key = models.CharField(max_length=24, unique=True, editable=False)

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")

    def __str__(self) -> str:
        number = f"{self.house_number}{self.house_letter}"
        if self.house_number_addition:
            number += f"-{self.house_number_addition}"
        street = f"{self.street} {number}" if self.street else number
        return f"{street}, {self.postcode[:4]} {self.postcode[4:]} {self.city}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = address_key(self.postcode, self.house_number, self.house_letter, self.house_number_addition)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Organisation(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="organisations")
    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("naam"), max_length=120)
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="teams", blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.SIGNALLER)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    # Demo users only; ignored in production so it can never weaken a real installation.
    two_factor_exempt = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @property
    def sees_personal_data(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES

    @property
    def municipality_id(self) -> int:
        """The municipality the user works for; 0 (matches nothing) for a user without an organisation."""
        return self.organisation.municipality_id if self.organisation_id and self.organisation else 0


class ApiKey(models.Model):
    """A partner system's key. Only a hash is stored; the key itself is shown once, at creation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("naam"), max_length=100, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.organisation.slug}:{self.prefix}"
