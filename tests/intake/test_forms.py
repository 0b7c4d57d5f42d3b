"""The report forms and the tracking pages, as a person uses them (Django test client)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from waakvlam.core.encryption import email_index
from waakvlam.core.models import Neighbourhood
from waakvlam.intake.models import Signal
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db


def _form_id(page: str) -> str:
    match = re.search(r'name="form_id" value="([0-9a-f]{32})"', page)
    assert match, "the form carries a hidden form id"
    return match.group(1)


def _answers(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": "neglect",
        "urgency": "normal",
        "postcode": "9901 AB",
        "house_number": "12a",
        "location_text": "",
        "description": "Post stapelt zich op en de gordijnen blijven dicht.",
    }
    values.update(overrides)
    return values


def _code_on(page: str) -> str:
    match = re.search(r"<code>([A-Z0-9]{10})</code>", page)
    assert match, "the page shows a tracking code"
    return match.group(1)


# --- the professional form --------------------------------------------------------------------------------


def test_professional_reports_in_one_go(areas: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("signaleerder")
    page = client.get("/melden/").content.decode()
    assert "112" in page and "Veilig Thuis" in page and "0800-2000" in page
    assert "<script>" not in page and "style=" not in page  # CSP: nothing inline
    response = client.post("/melden/", _answers(form_id=_form_id(page)))
    assert response.status_code == 302 and response["Location"] == "/melden/bedankt/"
    done = client.get("/melden/bedankt/").content.decode()
    code = _code_on(done)
    assert f"/volgen/{code}/" in done
    signal = Signal.objects.get(tracking_code=code)
    assert signal.reporter_user is not None and signal.reporter_user.username == "signaleerder"
    assert signal.address is not None and signal.address.key == "9901AB|12|A|"
    assert signal.owner_team.name == "Waakvlam Centrum-Oost"


def test_double_submit_creates_one_signal(areas: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("wijkagent")
    form_id = _form_id(client.get("/melden/").content.decode())
    for _ in range(3):
        assert client.post("/melden/", _answers(form_id=form_id)).status_code == 302
    assert Signal.objects.count() == 1
    # The same page sent again with other answers is a new report.
    client.post("/melden/", _answers(form_id=form_id, category="isolation"))
    assert Signal.objects.count() == 2


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"category": ""}, "Kies waar je je zorgen over maakt."),
        (
            {"postcode": "", "house_number": "", "location_text": ""},
            "Vul een adres in (postcode en huisnummer), of beschrijf de plek.",
        ),
        ({"postcode": "12345"}, "Geen geldige postcode"),
        ({"house_number": ""}, "Vul het huisnummer in."),
        ({"house_number": "twaalf"}, "Geen geldig huisnummer"),
        ({"postcode": "", "house_number": "12"}, "Vul de postcode in"),
        ({"description": "x" * 5001}, "Beschrijf het in hoogstens 5000 tekens"),
        ({"urgency": "acute"}, "Selecteer een geldige keuze"),
    ],
)
def test_validation_messages_are_dutch_and_name_the_field(
    areas: dict[str, Neighbourhood], login: Callable[[str], Client], answers: dict[str, str], message: str
) -> None:
    response = login("signaleerder").post("/melden/", _answers(**answers))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Controleer wat je hebt ingevuld" in page and message in page
    assert 'aria-invalid="true"' in page
    assert not Signal.objects.exists()


def test_place_instead_of_address(areas: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("signaleerder")
    answers = _answers(postcode="", house_number="", location_text="Bankje bij de speeltuin")
    assert client.post("/melden/", answers).status_code == 302
    assert Signal.objects.get().location_text == "Bankje bij de speeltuin"


def test_confirm_step_shows_privacy_warnings(areas: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("signaleerder")
    text = "Mevrouw Jansen van hiernaast zegt dat hij 06-12345678 niet opneemt."
    confirm = client.post("/melden/", _answers(description=text))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Controleer je melding" in page
    assert "een naam" in page and "een telefoonnummer" in page
    assert "[naam]" in page and "[telefoonnummer]" in page  # the masked version others would see
    assert not Signal.objects.exists()

    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    assert fields["bevestigd"] == "1" and fields["category"] == "neglect"

    edit = client.post("/melden/", {**_answers(description=text), "bevestigd": "1", "actie": "aanpassen"})
    assert edit.status_code == 200 and "Mevrouw Jansen" in edit.content.decode() and not Signal.objects.exists()

    sent = client.post("/melden/", {**_answers(description=text), "bevestigd": "1", "actie": "versturen"})
    assert sent.status_code == 302
    signal = Signal.objects.get()
    assert signal.description == text and "Jansen" not in signal.description_masked


def test_roles_that_do_not_report_are_refused(areas: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("regie")
    assert client.get("/melden/").status_code == 403
    assert client.post("/melden/", _answers()).status_code == 403
    assert not Signal.objects.exists()


def test_thank_you_page_without_a_report_goes_to_the_form(
    town: Any, login: Callable[[str], Client], client: Client
) -> None:
    assert login("signaleerder").get("/melden/bedankt/")["Location"] == "/melden/"
    assert Client().get("/melding-doen/bedankt/")["Location"] == "/melding-doen/"


# --- the public form -------------------------------------------------------------------------------------


def test_resident_reports_anonymously(areas: dict[str, Neighbourhood], client: Client) -> None:
    page = client.get("/melding-doen/").content.decode()
    assert "Bel direct 112" in page and "Veilig Thuis: 0800-2000" in page
    assert "mag contact met mij opnemen" in page and "anoniem" in page
    response = client.post("/melding-doen/", _answers())
    assert response.status_code == 302 and response["Location"] == "/melding-doen/bedankt/"
    code = _code_on(client.get("/melding-doen/bedankt/").content.decode())
    signal = Signal.objects.get(tracking_code=code)
    assert signal.source_kind == "resident" and signal.reporter_email is None


def test_resident_with_email_gets_the_received_mail(areas: dict[str, Neighbourhood], client: Client) -> None:
    answers = _answers(name="Anna Buur", phone="0611112222", email="anna@example.nl", may_contact="on")
    assert client.post("/melding-doen/", answers).status_code == 302
    signal = Signal.objects.get()
    assert (signal.reporter_name, signal.reporter_phone, signal.reporter_may_contact) == (
        "Anna Buur",
        "0611112222",
        True,
    )
    mail = Notification.objects.get(email_index=email_index("anna@example.nl"))
    assert mail.dedupe_key == f"track:{signal.pk}:received" and signal.tracking_code in mail.body


def test_public_form_messages(areas: dict[str, Neighbourhood], client: Client) -> None:
    page = client.post("/melding-doen/", _answers(email="geen-adres", may_contact="on")).content.decode()
    assert "Vul een geldig e-mailadres in" in page
    page = client.post("/melding-doen/", _answers(may_contact="on")).content.decode()
    assert "Vul een telefoonnummer of e-mailadres in" in page
    assert not Signal.objects.exists()


@pytest.mark.usefixtures("mid_minute")
def test_public_form_is_rate_limited(areas: dict[str, Neighbourhood], client: Client, settings: Any) -> None:
    settings.WAAKVLAM_PUBLIC_RATE_LIMIT = 2
    statuses = [client.post("/melding-doen/", _answers()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Signal.objects.count() == 2


def test_english_version_exists(areas: dict[str, Neighbourhood], client: Client) -> None:
    assert client.get("/en/melding-doen/").status_code == 200
    assert client.get("/en/volgen/").status_code == 200


# --- tracking -----------------------------------------------------------------------------------------------


def test_tracking_page_shows_three_steps_and_nothing_else(areas: dict[str, Neighbourhood], client: Client) -> None:
    client.post("/melding-doen/", _answers(description="De buurman op 12a roept 's nachts."))
    signal = Signal.objects.get()
    entered = client.get(
        "/volgen/", {"code": signal.tracking_code.lower()[:5] + "-" + signal.tracking_code[5:].lower()}
    )
    assert entered.status_code == 302 and entered["Location"] == f"/volgen/{signal.tracking_code}/"
    page = client.get(entered["Location"]).content.decode()
    for step in ("Ontvangen", "Opgepakt", "Afgesloten"):
        assert step in page
    assert 'aria-current="step"' in page
    for secret in ("buurman", "Waakvlam Centrum-Oost", "Dorpsstraat", "9901", "12a", "Vervuiling"):
        assert secret not in page.split('<main id="inhoud"', 1)[1]


def test_unknown_tracking_code(town: Any, client: Client) -> None:
    response = client.get("/volgen/ABCDEFGHJK/")
    assert response.status_code == 404
    assert "Deze volgcode kennen we niet" in response.content.decode()
    empty = client.get("/volgen/", {"code": "  "})
    assert empty.status_code == 200 and "Vul je volgcode in." in empty.content.decode()


def test_public_form_refuses_a_postcode_elsewhere_together_with_every_other_error(
    areas: dict[str, Neighbourhood], client: Client
) -> None:
    page = client.post("/melding-doen/", _answers(postcode="1234 AB", category="", description="")).content.decode()
    assert "Deze postcode ligt niet in de gemeente Demodorp" in page
    assert "Kies waar je je zorgen over maakt." in page  # the other errors on the same, first submit
    assert not Signal.objects.exists()
    # The same four-digit area as one the municipality keeps: accepted (the table may have gaps).
    assert client.post("/melding-doen/", _answers(postcode="9901 ZZ")).status_code == 302


def test_public_form_accepts_any_postcode_where_no_table_tells(town: Any, client: Client) -> None:
    from waakvlam.intake.services import postcode_elsewhere

    assert postcode_elsewhere("1234AB") is None
