"""The contact form says what it means: "how is it going" is required exactly when there was contact, an
answer is never dropped silently, and "ernstige zorgen" offers the next step."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import actor_of
from tests.factories import user
from waakvlam.contact.errors import InvalidInput
from waakvlam.contact.models import ContactMoment
from waakvlam.contact.services import MomentInput, contact_record


def _post(client: Client, world: World, **fields: str) -> object:
    form = {"happened_on": timezone.localdate().isoformat(), "channel": "phone", "note": "", **fields}
    return client.post(f"/waakvlamcontact/{world.plan.public_id}/contact/", form)


def test_wellbeing_is_labelled_as_required_with_contact(world: World, login: Callable[[str], Client]) -> None:
    html = login("waakvlammer").get(f"/waakvlamcontact/{world.plan.public_id}/").content.decode()
    legend = html[html.index("Hoe gaat het?") : html.index("Hoe gaat het?") + 80]
    assert "niet verplicht" not in legend
    assert "Verplicht als je contact had" in html


def test_not_reached_with_a_wellbeing_answer_is_refused_not_dropped(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("waakvlammer")
    before = ContactMoment.objects.count()
    response = _post(client, world, made="nee", wellbeing="serious")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "niet bereikt" in response.content.decode()  # type: ignore[attr-defined]
    assert ContactMoment.objects.count() == before
    assert _post(client, world, made="nee").status_code == 302  # type: ignore[attr-defined]
    assert _post(client, world, made="ja").status_code == 422  # type: ignore[attr-defined]


def test_the_service_refuses_it_too(world: World) -> None:
    try:
        contact_record(
            plan=world.plan,
            data=MomentInput(timezone.localdate(), "phone", False, "worried", ""),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    except InvalidInput as error:
        assert "wellbeing" in error.errors
    else:
        raise AssertionError("a wellbeing answer without contact was accepted")


def test_serious_worries_offer_the_next_step(world: World, login: Callable[[str], Client]) -> None:
    client = login("waakvlammer")
    response = _post(client, world, made="ja", wellbeing="serious")
    assert response.status_code == 302 and response["Location"].endswith("#volgende-stap")  # type: ignore[attr-defined,index]
    html = client.get(f"/waakvlamcontact/{world.plan.public_id}/").content.decode()
    assert "Ernstige zorgen: de volgende stap" in html
    assert "Doe wat de bewoner in het signaleringsplan heeft afgesproken" in html
    assert "Bespreek het vandaag met je coördinator" in html and "casusoverleg" in html
    coordinator = user("coordinator")
    assert (coordinator.get_full_name() or coordinator.username) in html
    assert f"/bewoners/{world.resident.public_id}/signaleringsplan/" in html
    # A later, calmer contact takes the prompt away again.
    _post(client, world, made="ja", wellbeing="fine")
    assert "de volgende stap" not in client.get(f"/waakvlamcontact/{world.plan.public_id}/").content.decode()


def test_the_report_form_says_it_sends(town: object, client: Client) -> None:
    html = client.get("/melding-doen/").content.decode()
    assert ">Versturen</button>" in html and ">Verder<" not in html
