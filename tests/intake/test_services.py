"""signal_create and friends: placing, routing, history, access log, notifications, encryption, free text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import other_municipality, team, user
from waakvlam.core import encryption
from waakvlam.core.addresses import AddressError
from waakvlam.core.encryption import email_index
from waakvlam.core.models import Address, Municipality, Neighbourhood, Organisation
from waakvlam.intake.errors import ExternalIdConflict, NoTeamForSignal, SignalRefused
from waakvlam.intake.freetext import DeduceDetector, RegexDetector, free_text_check
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.intake.services import (
    TRACKING_ALPHABET,
    AddressInput,
    Reporter,
    SignalInput,
    signal_create,
    tracking_code_normalise,
)
from waakvlam.intake.tracking import tracking_moment_notify
from waakvlam.notify.models import Channel, Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.routing.services import signal_claim, signal_close

pytestmark = pytest.mark.django_db


def _data(**fields: object) -> SignalInput:
    values: dict[str, object] = {
        "category": "neglect",
        "description": "Post stapelt zich op.",
        "address": AddressInput("9901AB", "12"),
    }
    values.update(fields)
    return SignalInput(**values)  # type: ignore[arg-type]


def _professional() -> Reporter:
    return Reporter.for_user(user("signaleerder"))


def test_create_places_routes_records_and_announces(areas: dict[str, Neighbourhood]) -> None:
    now = timezone.now()
    signal = signal_create(data=_data(), reporter=_professional(), now=now)

    assert signal.neighbourhood == areas["BU99990100"]
    assert signal.address is not None and signal.address.street == "Dorpsstraat"
    assert signal.owner_team == team("Waakvlam Centrum-Oost")
    assert signal.due_at > now and signal.status == "received"
    assert signal.source_kind == "professional"
    assert signal.reporter_organisation == Organisation.objects.get(slug="woonstede")
    assert len(signal.tracking_code) == 10 and set(signal.tracking_code) <= set(TRACKING_ALPHABET)
    assert list(signal.events.values_list("kind", flat=True)) == ["received", "assigned"]
    assigned = signal.events.get(kind="assigned")
    assert assigned.team == signal.owner_team and "Waakvlam Centrum-Oost" in assigned.note

    entry = AccessLogEntry.objects.get(object_type="intake.signal", object_id=str(signal.pk))
    assert entry.action == "create" and entry.username == "signaleerder"
    assert entry.subject == f"address:{signal.address_id}" and entry.municipality_code == "GM9999"

    notes = Notification.objects.filter(dedupe_key=f"signal:{signal.pk}:new")
    recipients = {n.recipient.username for n in notes if n.recipient}  # type: ignore[union-attr]
    assert recipients == {"waakvlammer", "coordinator"}
    assert not notes.filter(channel=Channel.EMAIL_NOW).exists()  # normal urgency: the digest
    assert all("Post stapelt" not in n.body and "Dorpsstraat" not in n.body for n in notes)


def test_urgent_signal_emails_at_once(areas: dict[str, Neighbourhood]) -> None:
    signal = signal_create(data=_data(urgency="high"), reporter=_professional(), now=timezone.now())
    assert Notification.objects.filter(dedupe_key=f"signal:{signal.pk}:new", channel=Channel.EMAIL_NOW).exists()
    assert signal.due_at - signal.received_at <= timedelta(days=1)


def test_west_address_goes_to_team_west(areas: dict[str, Neighbourhood]) -> None:
    signal = signal_create(data=_data(address=AddressInput("9921 cd", 3)), reporter=_professional(), now=timezone.now())
    assert signal.neighbourhood == areas["BU99990300"]
    assert signal.owner_team == team("Waakvlam West")


def test_house_number_range_picks_the_right_neighbourhood(areas: dict[str, Neighbourhood]) -> None:
    low = signal_create(data=_data(address=AddressInput("9902EF", 10)), reporter=_professional(), now=timezone.now())
    high = signal_create(data=_data(address=AddressInput("9902EF", 80)), reporter=_professional(), now=timezone.now())
    assert low.neighbourhood == areas["BU99990101"]
    assert high.neighbourhood == areas["BU99990200"]


@pytest.mark.parametrize(
    ("postcode", "number", "letter", "addition"),
    [
        ("9901AB", "12", "A", ""),
        ("9901 ab", "12a", "", ""),
        (" 9901ab ", "12 A", "", ""),
        ("9901AB", "12-a", "", ""),
        ("9901aB", 12, "a", ""),
    ],
)
def test_address_spellings_are_one_address(
    areas: dict[str, Neighbourhood], postcode: str, number: object, letter: str, addition: str
) -> None:
    first = signal_create(
        data=_data(address=AddressInput("9901AB", "12A")), reporter=_professional(), now=timezone.now()
    )
    again = signal_create(
        data=_data(address=AddressInput(postcode, number, letter, addition)),  # type: ignore[arg-type]
        reporter=_professional(),
        now=timezone.now(),
    )
    assert again.address_id == first.address_id
    assert Address.objects.filter(key="9901AB|12|A|").count() == 1


def test_addition_is_kept_apart(areas: dict[str, Neighbourhood]) -> None:
    plain = signal_create(
        data=_data(address=AddressInput("9901AB", "12")), reporter=_professional(), now=timezone.now()
    )
    upstairs = signal_create(
        data=_data(address=AddressInput("9901AB", "12-2")), reporter=_professional(), now=timezone.now()
    )
    assert plain.address_id != upstairs.address_id
    assert upstairs.address.house_number_addition == "2"  # type: ignore[union-attr]


def test_unknown_postcode_is_stored_without_neighbourhood(town: Municipality) -> None:
    signal = signal_create(
        data=_data(address=AddressInput("1234AB", "5")), reporter=_professional(), now=timezone.now()
    )
    assert signal.neighbourhood is None and signal.municipality == town
    assert signal.owner_team is not None  # routed to a team of the municipality all the same


def test_location_text_without_address(town: Municipality) -> None:
    signal = signal_create(
        data=_data(address=None, location_text="Bankje bij de speeltuin"), reporter=_professional(), now=timezone.now()
    )
    assert signal.address is None and signal.location_text == "Bankje bij de speeltuin"
    assert AccessLogEntry.objects.filter(subject=f"signal:{signal.pk}").exists()


@pytest.mark.parametrize(
    ("fields", "field", "needle"),
    [
        ({"category": "domestic_violence"}, "category", "Veilig Thuis"),
        ({"urgency": "acute"}, "urgency", "112"),
        ({"address": None, "location_text": "  "}, "address", "adres"),
        ({"description": "x" * 5001}, "description", "5000"),
        ({"observed_at": timezone.now() + timedelta(days=2)}, "observed_at", "toekomst"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(
    town: Municipality, fields: dict[str, object], field: str, needle: str
) -> None:
    with pytest.raises(SignalRefused) as refused:
        signal_create(data=_data(**fields), reporter=_professional(), now=timezone.now())
    assert refused.value.field == field and needle in refused.value.message
    assert not Signal.objects.exists() and not AccessLogEntry.objects.exists()


def test_bad_address_names_the_field(town: Municipality) -> None:
    with pytest.raises(AddressError) as error:
        signal_create(data=_data(address=AddressInput("99O1AB", "12")), reporter=_professional(), now=timezone.now())
    assert error.value.field == "postcode"
    with pytest.raises(AddressError) as error:
        signal_create(
            data=_data(address=AddressInput("9901AB", "twaalf")), reporter=_professional(), now=timezone.now()
        )
    assert error.value.field == "house_number"
    assert not Signal.objects.exists()


def test_external_id_is_unique_per_organisation(areas: dict[str, Neighbourhood]) -> None:
    reporter = _professional()
    signal_create(data=_data(external_id="WBV-1"), reporter=reporter, now=timezone.now())
    with pytest.raises(ExternalIdConflict):
        signal_create(data=_data(external_id="WBV-1"), reporter=reporter, now=timezone.now())
    other = Reporter.for_user(user("wijkagent"))  # another organisation may use the same reference
    signal_create(data=_data(external_id="WBV-1"), reporter=other, now=timezone.now())
    assert Signal.objects.filter(external_id="WBV-1").count() == 2


def test_no_team_at_all_is_an_operator_problem(town: Municipality) -> None:
    municipality, organisation, other_team, _steward = other_municipality()
    other_team.neighbourhoods.clear()
    other_team.members.clear()
    SignalEvent.objects.all().delete()
    other_team.delete()
    lonely = Reporter(organisation=organisation)
    with pytest.raises(NoTeamForSignal):
        signal_create(data=_data(address=None, location_text="Dijk"), reporter=lonely, now=timezone.now())
    assert not Signal.objects.filter(municipality=municipality).exists()


# --- the public reporter ----------------------------------------------------------------------------------


def _public(**contact: object) -> Reporter:
    return Reporter.for_public(**contact)  # type: ignore[arg-type]


def test_public_contact_details_are_encrypted_at_rest(areas: dict[str, Neighbourhood]) -> None:
    reporter = _public(name="Anna Buur", phone="06-11112222", email="Anna@Example.nl", may_contact=True)
    signal = signal_create(data=_data(), reporter=reporter, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporter_name, reporter_phone, reporter_email FROM intake_signal WHERE id = %s", [signal.pk]
        )
        raw = cursor.fetchone()
    assert all(value and value.startswith("gAAAA") for value in raw)
    assert "Anna" not in "".join(raw) and "06-1111" not in "".join(raw)
    fresh = Signal.objects.get(pk=signal.pk)
    assert (fresh.reporter_name, fresh.reporter_phone, fresh.reporter_email) == (
        "Anna Buur",
        "06-11112222",
        "anna@example.nl",
    )
    assert fresh.source_kind == "resident" and fresh.reporter_may_contact
    # The blind index finds it by e-mail address, in any spelling, without decrypting.
    assert Signal.objects.filter(reporter_email_index=encryption.email_index(" ANNA@example.NL")).get() == fresh


def test_without_permission_to_contact_only_the_email_is_kept(areas: dict[str, Neighbourhood]) -> None:
    reporter = _public(name="Anna Buur", phone="0611112222", email="anna@example.nl", may_contact=False)
    signal = Signal.objects.get(pk=signal_create(data=_data(), reporter=reporter, now=timezone.now()).pk)
    assert signal.reporter_name is None and signal.reporter_phone is None
    assert signal.reporter_email == "anna@example.nl" and not signal.reporter_may_contact


def test_anonymous_public_report(town: Municipality) -> None:
    signal = signal_create(data=_data(address=None, location_text="Park"), reporter=_public(), now=timezone.now())
    assert signal.reporter_email is None and signal.reporter_organisation is None and signal.reporter_user is None
    assert signal.municipality == town
    assert AccessLogEntry.objects.get(object_id=str(signal.pk)).role == "public"


def test_field_keys_rotate(areas: dict[str, Neighbourhood], settings: object) -> None:
    signal = signal_create(data=_data(), reporter=_public(email="a@example.nl"), now=timezone.now())
    field = Signal._meta.get_field("reporter_email")
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)  # type: ignore[attr-defined]
    try:
        settings.FIELD_ENCRYPTION_KEYS = ["n" * 40, *old_keys]  # type: ignore[attr-defined]
        for name in ("keys", "f"):
            field.__dict__.pop(name, None)
        assert Signal.objects.get(pk=signal.pk).reporter_email == "a@example.nl"  # old rows still read
        settings.FIELD_ENCRYPTION_KEYS = ["n" * 40]  # type: ignore[attr-defined]
        for name in ("keys", "f"):
            field.__dict__.pop(name, None)
        unreadable = Signal.objects.get(pk=signal.pk).reporter_email  # without the old key: ciphertext only
        assert unreadable != "a@example.nl" and str(unreadable).startswith("gAAAA")
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys  # type: ignore[attr-defined]
        for name in ("keys", "f"):
            field.__dict__.pop(name, None)


# --- tracking e-mails ---------------------------------------------------------------------------------------


def test_reporter_hears_the_three_moments_and_nothing_else(areas: dict[str, Neighbourhood]) -> None:
    description = "Meneer op nummer 12 reageert niet meer, de buren zijn ongerust."
    now = timezone.now()
    signal = signal_create(data=_data(description=description), reporter=_public(email="melder@example.nl"), now=now)
    signal_claim(signal=signal, by=user("waakvlammer"), now=now + timedelta(hours=1))
    signal_close(
        signal=signal,
        by=user("waakvlammer"),
        outcome="contact_made",
        note="Dochter ingeschakeld",
        now=now + timedelta(days=1),
    )

    mails = Notification.objects.filter(email_index=email_index("melder@example.nl")).order_by("created_at")
    assert [m.dedupe_key for m in mails] == [f"track:{signal.pk}:{m}" for m in ("received", "picked_up", "closed")]
    for mail in mails:
        assert mail.channel == Channel.EMAIL_NOW and mail.recipient is None
        assert signal.tracking_code in mail.body and f"/volgen/{signal.tracking_code}/" in mail.body
        text = mail.subject + mail.body
        for secret in (
            "reageert niet",
            "Waakvlam Centrum-Oost",
            "Dorpsstraat",
            "9901",
            "Contact gelegd",
            "Dochter",
            "waakvlammer",
        ):
            assert secret not in text


def test_tracking_moment_is_sent_once(areas: dict[str, Neighbourhood]) -> None:
    signal = signal_create(data=_data(), reporter=_public(email="melder@example.nl"), now=timezone.now())
    tracking_moment_notify(signal=signal, moment="received", now=timezone.now())
    assert Notification.objects.filter(email_index=email_index("Melder@Example.nl ")).count() == 1
    with pytest.raises(ValueError, match="Unknown tracking moment"):
        tracking_moment_notify(signal=signal, moment="assigned", now=timezone.now())


def test_no_email_no_tracking_mail(areas: dict[str, Neighbourhood]) -> None:
    signal = signal_create(data=_data(), reporter=_professional(), now=timezone.now())
    tracking_moment_notify(signal=signal, moment="picked_up", now=timezone.now())
    assert not Notification.objects.filter(recipient__isnull=True).exists()


def test_tracking_code_normalise() -> None:
    assert tracking_code_normalise(" k7qm-3xz9 pa ") == "K7QM3XZ9PA"
    assert tracking_code_normalise("ü/../x") == "X"


# --- free text --------------------------------------------------------------------------------------------


def test_free_text_is_masked_for_others(areas: dict[str, Neighbourhood]) -> None:
    text = "Mevrouw Jansen belde op 06-12345678 over haar buurman Piet de Vries, BSN 111222333."
    signal = signal_create(data=_data(description=text), reporter=_professional(), now=timezone.now())
    assert signal.description == text
    assert set(signal.privacy_flags) == {"name", "phone", "bsn"}
    for secret in ("Jansen", "06-12345678", "Piet", "Vries", "111222333"):
        assert secret not in signal.description_masked
    assert "[telefoonnummer]" in signal.description_masked and "[BSN]" in signal.description_masked


def test_plain_text_is_not_flagged() -> None:
    check = free_text_check("Veel lawaai 's nachts en de tuin is verwaarloosd. De bewoner lijkt vergeetachtig.")
    assert check.findings == () and check.warnings() == []


@pytest.mark.parametrize(
    "number",
    ["06-12345678", "06 1234 5678", "0612345678", "+31 6 12345678", "+31612345678", "020-1234567", "0031 20 123 4567"],
)
def test_regex_detector_finds_dutch_phone_numbers(number: str) -> None:
    check = free_text_check(f"Bel haar op {number} na vijven.", use=RegexDetector())
    assert check.kinds == ["phone"]
    assert number not in check.masked


def test_regex_detector_checks_bsn_with_the_eleven_test() -> None:
    assert free_text_check("Zijn BSN is 111222333.", use=RegexDetector()).kinds == ["bsn"]
    assert free_text_check("Factuurnummer 123456789.", use=RegexDetector()).kinds == []


def test_regex_detector_finds_names_after_a_title_and_emails() -> None:
    check = free_text_check("Mevrouw Jansen en haar zoon Kees; mail k.jansen@example.nl.", use=RegexDetector())
    assert check.kinds == ["name", "email"]
    assert "Jansen" not in check.masked and "Kees" not in check.masked and "example.nl" not in check.masked


def test_deduce_detector_finds_names_without_a_title() -> None:
    pytest.importorskip("deduce")
    check = free_text_check("Gisteren zag ik Piet de Vries op straat, hij was verward.", use=DeduceDetector())
    assert "name" in check.kinds and "Piet" not in check.masked


def test_warnings_never_repeat_what_was_found() -> None:
    check = free_text_check("Bel Jan Jansen op 06-12345678.")
    assert check.warnings()
    assert all("Jansen" not in w and "0612" not in w for w in check.warnings())


def test_old_idempotency_keys_are_pruned(town: Municipality) -> None:
    from waakvlam.intake.idempotency import idempotency_keys_prune
    from waakvlam.intake.models import IdempotencyKey

    now = timezone.now()
    for days in (1, 6, 8, 30):
        IdempotencyKey.objects.create(
            scope="org:1",
            key=f"k{days}",
            request_hash="h",
            status_code=201,
            response={},
            created_at=now - timedelta(days=days),
        )
    assert idempotency_keys_prune(now=now) == 2
    assert sorted(IdempotencyKey.objects.values_list("key", flat=True)) == ["k1", "k6"]
