"""The social map, modelled on Open Referral HSDS 3.0: organisations, services, locations, services at
locations, schedules, taxonomies and their terms, cost options, languages, accessibility, contacts and
phones. Entity and field names are HSDS's where they fit (so import, export and the HSDS API are a plain
mapping); Waakvlam's own fields (collective or individual, how to get in, capacity, the keeper, the
neighbourhood, moderation) sit beside them.

These organisations are not `core.Organisation` rows: those are Waakvlam's tenants. A map organisation
may point to the tenant that offers it (`tenant`), and then that tenant answers its referrals.
Nothing here is about residents; referrals live in referral_models.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.core.models import Organisation as TenantOrganisation

TEXT = 2000
SHORT = 250


def _id() -> models.UUIDField:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


class _Row(models.Model):
    """A part of an entry (a phone, a schedule line): shown by its id where Django needs a name."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.pk)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Actief")
    INACTIVE = "inactive", _("Niet actief")
    DEFUNCT = "defunct", _("Opgeheven")
    TEMPORARILY_CLOSED = "temporarily closed", _("Tijdelijk gesloten")


class Access(models.TextChoices):
    """How to get in (Waakvlam's field; HSDS keeps it in free text, `application_process`)."""

    WALK_IN = "walk_in", _("Binnenlopen")
    SIGN_UP = "sign_up", _("Aanmelden")
    REFERRAL = "referral", _("Via verwijzing")


class Moderation(models.TextChoices):
    PUBLISHED = "published", _("Gepubliceerd")
    PENDING = "pending", _("Wacht op goedkeuring")
    HIDDEN = "hidden", _("Verborgen")


class Organization(models.Model):
    """HSDS organization: who offers services on the social map (a foundation, a resident initiative…)."""

    id = _id()
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("naam"), max_length=SHORT)
    alternate_name = models.CharField(_("andere naam"), max_length=SHORT, blank=True)
    description = models.TextField(_("omschrijving"), max_length=TEXT, blank=True)
    email = models.CharField(_("e-mail"), max_length=SHORT, blank=True)
    website = models.CharField(_("website"), max_length=SHORT, blank=True)
    tax_status = models.CharField(max_length=SHORT, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(_("rechtsvorm"), max_length=SHORT, blank=True)
    logo = models.CharField(max_length=SHORT, blank=True)
    uri = models.CharField(max_length=SHORT, blank=True)
    # Not a foreign key: an imported parent may live in another dataset.
    parent_organization_id = models.UUIDField(null=True, blank=True)
    tenant = models.ForeignKey(
        TenantOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_map_organizations",
        verbose_name=_("Waakvlam-organisatie"),
    )
    resident_initiative = models.BooleanField(_("bewonersinitiatief"), default=False)
    last_modified = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """HSDS location: where something happens. Neighbourhood and coordinates where known."""

    id = _id()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="locations"
    )
    location_type = models.CharField(max_length=10, default="physical")
    url = models.CharField(max_length=SHORT, blank=True)
    name = models.CharField(_("naam"), max_length=SHORT, blank=True)
    alternate_name = models.CharField(max_length=SHORT, blank=True)
    description = models.TextField(_("omschrijving"), max_length=TEXT, blank=True)
    transportation = models.TextField(_("bereikbaarheid"), max_length=TEXT, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=SHORT, blank=True)
    external_identifier_type = models.CharField(max_length=SHORT, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("buurt")
    )

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")

    def __str__(self) -> str:
        return self.name or str(self.id)


class PostalAddress(models.Model):
    """HSDS address (of a location)."""

    id = _id()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=SHORT, blank=True)
    address_1 = models.CharField(_("adres"), max_length=SHORT)
    address_2 = models.CharField(max_length=SHORT, blank=True)
    city = models.CharField(_("plaats"), max_length=SHORT)
    region = models.CharField(max_length=SHORT, blank=True)
    state_province = models.CharField(max_length=SHORT, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=20)
    country = models.CharField(max_length=2, default="NL")
    address_type = models.CharField(max_length=10, default="physical")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}"


class Accessibility(_Row):
    id = _id()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(max_length=TEXT, blank=True)
    details = models.TextField(max_length=TEXT, blank=True)
    url = models.CharField(max_length=SHORT, blank=True)


class Service(models.Model):
    """HSDS service: an activity or a form of help. `collective` ones come first in every search."""

    id = _id()
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("naam"), max_length=SHORT)
    alternate_name = models.CharField(_("andere naam"), max_length=SHORT, blank=True)
    description = models.TextField(_("omschrijving"), max_length=TEXT, blank=True)
    url = models.CharField(_("website"), max_length=SHORT, blank=True)
    email = models.CharField(_("e-mail"), max_length=SHORT, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    interpretation_services = models.TextField(max_length=TEXT, blank=True)
    application_process = models.TextField(_("hoe kom je erin"), max_length=TEXT, blank=True)
    fees_description = models.TextField(_("kosten"), max_length=TEXT, blank=True)
    wait_time = models.CharField(_("wachttijd"), max_length=SHORT, blank=True)
    accreditations = models.TextField(max_length=TEXT, blank=True)
    eligibility_description = models.TextField(_("voor wie"), max_length=TEXT, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("vanaf leeftijd"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("tot leeftijd"), null=True, blank=True)
    alert = models.TextField(_("let op"), max_length=TEXT, blank=True)
    last_modified = models.DateTimeField(db_index=True)
    # Waakvlam's own fields.
    collective = models.BooleanField(
        _("collectief aanbod"), default=False, help_text=_("Een groepsactiviteit of ontmoetingsplek.")
    )
    access = models.CharField(_("toegang"), max_length=10, choices=Access.choices, default=Access.WALK_IN)
    free = models.BooleanField(_("gratis"), default=False)
    capacity = models.PositiveIntegerField(_("plaatsen"), null=True, blank=True)
    places_taken = models.PositiveIntegerField(_("plaatsen bezet"), default=0)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kept_services",
        verbose_name=_("beheerder"),
    )
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED)
    # The name as the search sorts it (Python's lower(), which neither SQLite's nor a "C" collation's
    # lower() matches for non-ASCII letters), kept by save(): the search orders and cuts off in SQL.
    name_key = models.CharField(max_length=SHORT, editable=False, default="")
    # Its schedules as the search asks about them (search_summary.py keeps these current).
    schedule_days = models.PositiveSmallIntegerField(editable=False, default=0)
    schedule_weekly = models.BooleanField(editable=False, default=False)
    schedule_dated = models.BooleanField(editable=False, default=False)
    needs: models.ManyToManyField[TaxonomyTerm, ServiceAttribute] = models.ManyToManyField(
        "TaxonomyTerm", through="ServiceAttribute", related_name="services", blank=True
    )

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["-collective", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(places_taken__lte=models.F("capacity")),
                name="socialmap_service_places_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "moderation", "status"], name="socialmap_service_public")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = self.name.lower()
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "name_key" not in fields:
            kwargs["update_fields"] = [*fields, "name_key"]
        super().save(*args, **kwargs)

    @property
    def places_free(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.places_taken)


class ServiceAtLocation(_Row):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(max_length=TEXT, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="socialmap_sal_unique"),
        ]


class Schedule(_Row):
    """HSDS schedule (iCal RRULE fields): of a service, of a service at a location, or of a location."""

    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_to = models.DateField(_("geldig tot"), null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.SmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(_("hoe vaak"), max_length=7, blank=True)  # WEEKLY or MONTHLY
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(_("dagen"), max_length=40, blank=True)  # "TU,TH"
    byweekno = models.CharField(max_length=SHORT, blank=True)
    bymonthday = models.CharField(max_length=SHORT, blank=True)
    byyearday = models.CharField(max_length=SHORT, blank=True)
    description = models.TextField(_("omschrijving"), max_length=TEXT, blank=True)
    opens_at = models.TimeField(_("van"), null=True, blank=True)
    closes_at = models.TimeField(_("tot"), null=True, blank=True)
    schedule_link = models.CharField(max_length=SHORT, blank=True)
    attending_type = models.CharField(max_length=SHORT, blank=True)
    notes = models.TextField(max_length=TEXT, blank=True)

    class Meta:
        ordering = ["opens_at", "pk"]
        indexes = [models.Index(fields=["service", "byday"], name="socialmap_schedule_day")]


class Taxonomy(models.Model):
    id = _id()
    name = models.CharField(max_length=SHORT)
    description = models.TextField(max_length=TEXT, blank=True)
    uri = models.CharField(max_length=SHORT, blank=True)
    version = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A need ("ontmoeting", "geldzaken", …) that services are tagged with."""

    id = _id()
    code = models.CharField(max_length=100, blank=True, db_index=True)
    name = models.CharField(_("naam"), max_length=SHORT)
    description = models.TextField(max_length=TEXT, blank=True)
    parent_id = models.UUIDField(null=True, blank=True)
    taxonomy_name = models.CharField(max_length=SHORT, blank=True)  # HSDS `taxonomy` (free text)
    taxonomy_detail = models.ForeignKey(
        Taxonomy, on_delete=models.SET_NULL, null=True, blank=True, related_name="terms"
    )
    language = models.CharField(max_length=10, blank=True)
    term_uri = models.CharField(max_length=SHORT, blank=True)

    class Meta:
        verbose_name = _("behoefte")
        verbose_name_plural = _("behoeften")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(_Row):
    """HSDS attribute: a service tagged with a taxonomy term."""

    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes")
    link_type = models.CharField(max_length=SHORT, blank=True)
    value = models.CharField(max_length=SHORT, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "taxonomy_term"], name="socialmap_attribute_unique"),
        ]


class CostOption(_Row):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=SHORT, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=SHORT, blank=True)


class Language(_Row):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages")
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=SHORT, blank=True)


class Contact(_Row):
    """HSDS contact: the contact person of a service, an organisation or a location (public details only)."""

    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    name = models.CharField(_("naam"), max_length=SHORT, blank=True)
    title = models.CharField(_("functie"), max_length=SHORT, blank=True)
    department = models.CharField(max_length=SHORT, blank=True)
    email = models.CharField(_("e-mail"), max_length=SHORT, blank=True)


class Phone(_Row):
    id = _id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    number = models.CharField(_("telefoon"), max_length=50)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=10, blank=True)
    description = models.TextField(max_length=TEXT, blank=True)


class ServiceChange(_Row):
    """A keeper's change to their own entry, waiting for the functional admin before it goes public."""

    class State(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    proposed = models.JSONField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=SHORT, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]


from waakvlam.socialmap.need_models import ResidentNeed  # noqa: E402
from waakvlam.socialmap.referral_models import Referral, ReferralEvent  # noqa: E402

__all__ = ["Referral", "ReferralEvent", "ResidentNeed"]
