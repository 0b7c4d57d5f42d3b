"""Taking signals in, and telling a public reporter how their report is doing.

`signal_create` is the one way a signal comes into being (web forms, API, public form, import): it places
the address in a neighbourhood, checks the free text for third parties' personal data, runs the creation
steps the apps above register (intake/creation.py: the household, the owner and due time), writes its
first history, the access-log entry and the notifications, all in one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from waakvlam.core.addresses import normalise_address
from waakvlam.core.encryption import email_index, normalise_email
from waakvlam.core.i18n import dutch
from waakvlam.core.models import Address, ApiKey, Municipality, Neighbourhood, Organisation, PostcodeArea, User
from waakvlam.intake.announcement import announcement
from waakvlam.intake.codes import CATEGORY_CODES, SOURCE_KIND_CODES, URGENCY_CODES, tracking_code_normalise
from waakvlam.intake.creation import signal_prepare
from waakvlam.intake.errors import (
    ExternalIdConflict,
    NoMunicipality,
    SignalRefused,
    unknown_category_message,
    unknown_urgency_message,
)
from waakvlam.intake.freetext import FreeTextCheck, free_text_check
from waakvlam.intake.lifecycle import Action, status_change
from waakvlam.intake.models import Signal, SignalEvent, SourceKind, Status, Urgency
from waakvlam.intake.selectors import signal_subject
from waakvlam.intake.tracking import tracking_moment_notify
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record

__all__ = [
    "AddressInput",
    "Reporter",
    "SignalInput",
    "announcement",
    "first_history",
    "signal_create",
    "tracking_code_normalise",
]

MAX_DESCRIPTION = 5000
# No 0/O, 1/I/L: a code read out over the phone or copied from paper survives. 31 symbols x 10 = 49.5 bits.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10
# Clocks differ; "observed" a few minutes in the future is a clock, more is a mistake.
_FUTURE_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class AddressInput:
    postcode: str
    house_number: str | int
    house_letter: str = ""
    house_number_addition: str = ""


@dataclass(frozen=True)
class SignalInput:
    category: str
    urgency: str = Urgency.NORMAL
    description: str = ""
    address: AddressInput | None = None
    location_text: str = ""
    observed_at: datetime | None = None
    external_id: str = ""
    source_kind: str = ""  # empty: from the reporter (professional, partner system or resident)


@dataclass(frozen=True)
class Reporter:
    """Who reports: a professional (user), a partner system (API key), or a member of the public, who may
    leave a name, phone number and e-mail address and say whether they may be contacted."""

    user: User | None = None
    api_key: ApiKey | None = None
    organisation: Organisation | None = None
    public: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    may_contact: bool = False
    actor: Actor | None = None  # who the access log names; from the request when there is one

    @classmethod
    def for_user(cls, user: User, *, actor: Actor | None = None) -> Reporter:
        return cls(user=user, organisation=user.organisation if user.organisation_id else None, actor=actor)

    @classmethod
    def for_api_key(cls, api_key: ApiKey, *, actor: Actor | None = None) -> Reporter:
        return cls(api_key=api_key, organisation=api_key.organisation, actor=actor)

    @classmethod
    def for_public(
        cls, *, name: str = "", phone: str = "", email: str = "", may_contact: bool = False, actor: Actor | None = None
    ) -> Reporter:
        return cls(public=True, name=name, phone=phone, email=email, may_contact=may_contact, actor=actor)

    def access_actor(self) -> Actor:
        if self.actor is not None:
            return self.actor
        if self.api_key is not None:
            return Actor(organisation=self.api_key.organisation.slug, api_key_prefix=self.api_key.prefix, role="api")
        if self.user is not None:
            return Actor(
                user_id=self.user.pk,
                username=self.user.get_username(),
                role=self.user.role,
                organisation=self.organisation.slug if self.organisation else "",
            )
        return Actor(role="public")

    @property
    def source_kind(self) -> str:
        if self.public:
            return SourceKind.RESIDENT
        if self.api_key is not None:
            return SourceKind.PARTNER_SYSTEM
        return SourceKind.PROFESSIONAL

    @property
    def label(self) -> str:
        if self.api_key is not None:
            return f"api:{self.api_key.prefix}"
        if self.user is not None:
            return self.user.get_username()
        return "publiek"


# --- checking the input ------------------------------------------------------------------------------------


def signal_input_check(data: SignalInput, *, now: datetime) -> None:
    """The rules every channel shares; raises SignalRefused naming the field."""
    if data.category not in CATEGORY_CODES:
        raise SignalRefused("category", unknown_category_message(data.category))
    if data.urgency not in URGENCY_CODES:
        raise SignalRefused("urgency", unknown_urgency_message(data.urgency))
    if len(data.description) > MAX_DESCRIPTION:
        raise SignalRefused("description", f"Beschrijf het in hoogstens {MAX_DESCRIPTION} tekens.")
    if data.address is None and not data.location_text.strip():
        raise SignalRefused("address", "Geef een adres (postcode en huisnummer) of beschrijf de plek.")
    if data.observed_at is not None and data.observed_at > now + _FUTURE_SLACK:
        raise SignalRefused("observed_at", "Het moment waarop het is gezien kan niet in de toekomst liggen.")
    if data.source_kind and data.source_kind not in SOURCE_KIND_CODES:
        raise SignalRefused("source_kind", f"Kies een bron uit: {', '.join(SOURCE_KIND_CODES)}.")


def description_check(description: str) -> FreeTextCheck:
    """The free-text check for a confirm step, before anything is stored."""
    return free_text_check(description)


# --- placing the address ---------------------------------------------------------------------------------


def _area_for(postcode: str, number: int) -> PostcodeArea | None:
    """The narrowest postcode range that holds this house number."""
    return (
        PostcodeArea.objects.filter(postcode=postcode, number_from__lte=number, number_to__gte=number)
        .select_related("neighbourhood", "municipality")
        .defer("neighbourhood__outline")  # a neighbourhood's GeoJSON runs to kilobytes; intake needs none of it
        .order_by(F("number_to") - F("number_from"), "pk")
        .first()
    )


def postcode_elsewhere(postcode: str) -> Municipality | None:
    """For the public form: the municipality it serves when the postcode table says this postcode lies outside
    it (known in another municipality, or not among the postcode areas this municipality keeps); None when
    it lies inside, or when there is no table to tell."""
    try:
        here = default_municipality()
    except NoMunicipality:
        return None
    areas = PostcodeArea.objects.filter(postcode=postcode)
    if areas.filter(municipality=here).exists():
        return None
    if areas.exists():
        return here
    own = PostcodeArea.objects.filter(municipality=here)
    if own.exists() and not own.filter(postcode__startswith=postcode[:4]).exists():
        return here
    return None


def default_municipality() -> Municipality:
    """For a public report outside any known postcode: the configured municipality, or the only/first one."""
    code = str(getattr(settings, "WAAKVLAM_MUNICIPALITY", "") or "")
    found = Municipality.objects.filter(code=code).first() if code else None
    found = found or Municipality.objects.order_by("pk").first()
    if found is None:
        raise NoMunicipality
    return found


def _place(
    address: AddressInput | None, reporter: Reporter
) -> tuple[Address | None, Neighbourhood | None, Municipality]:
    """Normalise and get-or-create the address; its neighbourhood and municipality come from the postcode
    table when the postcode is known, else the reporter's organisation decides the municipality."""
    fallback = reporter.organisation.municipality if reporter.organisation else None
    if address is None:
        return None, None, fallback or default_municipality()
    normal = normalise_address(
        address.postcode, address.house_number, address.house_letter or "", address.house_number_addition or ""
    )
    area = _area_for(normal.postcode, normal.house_number)
    municipality = area.municipality if area else (fallback or default_municipality())
    hood = area.neighbourhood if area else None
    row, _created = Address.objects.get_or_create(
        key=normal.key,
        defaults={
            "municipality": municipality,
            "neighbourhood": hood,
            "postcode": normal.postcode,
            "house_number": normal.house_number,
            "house_letter": normal.house_letter,
            "house_number_addition": normal.house_number_addition,
            "street": area.street if area else "",
            "city": area.city if area else "",
        },
    )
    if hood is not None and row.neighbourhood_id != hood.pk:
        row.neighbourhood = hood
        row.save(update_fields=["neighbourhood"])
    elif hood is not None:
        row.neighbourhood = hood  # the row we just read points at it already: no query to load it again
    return row, row.neighbourhood or hood, area.municipality if area else row.municipality


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


# --- creating ---------------------------------------------------------------------------------------------


def signal_create(
    *, data: SignalInput, reporter: Reporter, now: datetime, context: str = "service:signal_create"
) -> Signal:
    """Take a signal in: validated, placed, checked, routed (owner and due time), logged and announced.

    Raises SignalRefused / AddressError (bad input, per field), ExternalIdConflict, and routing's
    NoTeamForSignal when the municipality has no team at all. Nothing is stored when it raises."""
    signal_input_check(data, now=now)
    description = data.description.strip()
    check = free_text_check(description)
    external_id = data.external_id.strip()
    # The access-log entry is appended when the inner block ends, as the last statements before COMMIT
    # (or later still, when the caller has its own access_log_deferred block): the chain's lock
    # serialises every writer until commit, so it must not be held through the rest of the work.
    with transaction.atomic(), access_log_deferred():
        address, hood, municipality = _place(data.address, reporter)
        email = normalise_email(reporter.email) if reporter.public else ""
        signal = Signal(
            municipality=municipality,
            category=data.category,
            urgency=data.urgency,
            description=description,
            description_masked=check.masked,
            privacy_flags=check.kinds,
            address=address,
            location_text=data.location_text.strip()[:200],
            neighbourhood=hood,
            observed_at=data.observed_at,
            received_at=now,
            updated_at=now,
            source_kind=data.source_kind or reporter.source_kind,
            reporter_organisation=reporter.organisation,
            reporter_user=reporter.user,
            external_id=external_id,
            reporter_name=(reporter.name.strip()[:200] or None) if reporter.may_contact else None,
            reporter_phone=(reporter.phone.strip()[:40] or None) if reporter.may_contact else None,
            reporter_email=email or None,
            reporter_email_index=email_index(email),
            reporter_may_contact=bool(reporter.public and reporter.may_contact),
        )
        status_change(signal, action=Action.CREATE, to=Status.RECEIVED)
        signal_prepare(signal, now=now)  # its household, owner and due time (intake/creation.py)
        _insert(signal, reporter)
        _first_history(signal, reporter, now)
        access_log_record(
            actor=reporter.access_actor(),
            action=AccessAction.CREATE,
            object_type="intake.signal",
            object_id=signal.pk,
            subject=signal_subject(signal),
            municipality_code=municipality.code,
            context=context,
            now=now,
        )
        _announce(signal, now)
        tracking_moment_notify(signal=signal, moment="received", now=now)
    return signal


def _external_id_taken(reporter: Reporter, external_id: str) -> bool:
    return Signal.objects.filter(reporter_organisation=reporter.organisation, external_id=external_id).exists()


def _insert(signal: Signal, reporter: Reporter) -> None:
    """Save with a fresh tracking code; a clash (of 2^50) draws again. An external_id the organisation used
    before (or is using in a concurrent transaction) is a conflict: the unique index says so, which saves
    looking it up first on every signal."""
    for _attempt in range(5):
        signal.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                signal.save(force_insert=True)
            return
        except IntegrityError:
            signal.pk = None
            if signal.external_id and _external_id_taken(reporter, signal.external_id):
                raise ExternalIdConflict from None
            if not Signal.objects.filter(tracking_code=signal.tracking_code).exists():
                raise
    raise RuntimeError("Could not draw an unused tracking code in 5 attempts.")


_VIA: dict[str, str] = {SourceKind.RESIDENT.value: "publiek formulier", SourceKind.PARTNER_SYSTEM.value: "API"}


def first_history(signal: Signal, reporter: Reporter, now: datetime) -> list[SignalEvent]:
    """A new signal's first two steps, received and assigned (unsaved: the caller inserts them)."""
    team = signal.owner_team
    via = _VIA.get(signal.source_kind) or dutch(SourceKind(signal.source_kind).label).lower()
    received_note = f"Via {via}" + (f" ({signal.reporter_organisation.name})" if signal.reporter_organisation else "")
    owner = (signal.owner_user.get_full_name() or signal.owner_user.get_username()) if signal.owner_user else ""
    return [
        SignalEvent(
            signal=signal,
            at=now,
            kind="received",
            actor=reporter.user,
            actor_label=reporter.label,
            note=received_note[:500],
        ),
        SignalEvent(
            signal=signal,
            at=now,
            kind="assigned",
            actor_label="system:routing",
            team=team,
            note=(f"Doorgezet naar {team.name}" + (f", {owner}" if owner else ""))[:500],
        ),
    ]


def _first_history(signal: Signal, reporter: Reporter, now: datetime) -> None:
    SignalEvent.objects.bulk_create(first_history(signal, reporter, now))


def _announce(signal: Signal, now: datetime) -> None:
    notification_enqueue(**announcement(signal, now), new_event=True)
