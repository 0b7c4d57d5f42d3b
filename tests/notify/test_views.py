from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client, RequestFactory

from tests.notify.helpers import NOW, enqueue, user
from waakvlam.core.context_processors import navigation
from waakvlam.core.models import Municipality
from waakvlam.notify.models import Channel, Notification
from waakvlam.notify.selectors import unread_count

Login = Callable[[str], Client]


def _own(username: str, key: str) -> Notification:
    return Notification.objects.get(recipient=user(username), dedupe_key=key, channel=Channel.IN_APP)


def test_page_lists_own_notifications_newest_first(town: Municipality, login: Login) -> None:
    enqueue(town, "old", "waakvlammer", subject="Oudere melding")
    enqueue(town, "new", "waakvlammer", subject="Nieuwere melding", when=NOW + timedelta(hours=1), urgent=True)
    enqueue(town, "theirs", "coordinator", subject="Alleen voor de coördinator")
    response = login("waakvlammer").get("/berichten/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Berichten</h1>" in page
    assert page.index("Nieuwere melding") < page.index("Oudere melding")
    assert "Alleen voor de coördinator" not in page
    assert "notification--unread" in page and "Markeer als gelezen" in page and "Markeer alles als gelezen" in page
    assert '<span class="badge badge--high">Urgent</span>' in page
    assert 'href="/signalen/1/"' in page
    # CSP forbids inline script and style.
    assert "<script>" not in page and "style=" not in page
    assert page.count('name="csrfmiddlewaretoken"') >= 3


def test_anonymous_is_sent_to_login(client: Client, town: Municipality) -> None:
    response = client.get("/berichten/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_mark_one_read(town: Municipality, login: Login) -> None:
    enqueue(town, "a", "waakvlammer")
    enqueue(town, "b", "waakvlammer")
    client = login("waakvlammer")
    response = client.post(f"/berichten/{_own('waakvlammer', 'a').pk}/gelezen/")
    assert response.status_code == 302 and response["Location"] == "/berichten/"
    assert _own("waakvlammer", "a").read_at is not None
    assert _own("waakvlammer", "b").read_at is None
    assert unread_count(user("waakvlammer")) == 1
    page = client.get("/berichten/").content.decode()
    assert page.count("notification--unread") == 1


def test_someone_elses_notification_answers_404_and_stays_unread(town: Municipality, login: Login) -> None:
    enqueue(town, "theirs", "coordinator")
    theirs = _own("coordinator", "theirs")
    mail_row = Notification.objects.get(dedupe_key="theirs", channel=Channel.EMAIL_DIGEST)
    client = login("waakvlammer")
    assert client.post(f"/berichten/{theirs.pk}/gelezen/").status_code == 404
    # Not even one's own e-mail rows count as inbox items, and a missing id looks the same.
    assert client.post(f"/berichten/{mail_row.pk}/gelezen/").status_code == 404
    assert client.post("/berichten/999999/gelezen/").status_code == 404
    assert _own("coordinator", "theirs").read_at is None


def test_reading_needs_post(town: Municipality, login: Login) -> None:
    enqueue(town, "a", "waakvlammer")
    client = login("waakvlammer")
    assert client.get(f"/berichten/{_own('waakvlammer', 'a').pk}/gelezen/").status_code == 405
    assert client.get("/berichten/alles-gelezen/").status_code == 405
    assert _own("waakvlammer", "a").read_at is None


def test_forms_need_csrf(town: Municipality) -> None:
    enqueue(town, "a", "waakvlammer")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("waakvlammer"))
    assert client.post(f"/berichten/{_own('waakvlammer', 'a').pk}/gelezen/").status_code == 403
    assert client.post("/berichten/alles-gelezen/").status_code == 403
    assert _own("waakvlammer", "a").read_at is None


def test_mark_all_read_touches_only_own(town: Municipality, login: Login) -> None:
    for key in ("a", "b", "c"):
        enqueue(town, key, "waakvlammer", "coordinator")
    client = login("waakvlammer")
    response = client.post("/berichten/alles-gelezen/", {"pagina": "2"})
    assert response.status_code == 302 and response["Location"] == "/berichten/?pagina=2"
    assert unread_count(user("waakvlammer")) == 0
    assert unread_count(user("coordinator")) == 3
    assert "Alle berichten zijn gemarkeerd als gelezen." in client.get("/berichten/").content.decode()


def test_the_menu_counts_unread_messages_beside_berichten(town: Municipality, rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    enqueue(town, "a", "waakvlammer")
    enqueue(town, "b", "waakvlammer")
    request = rf.get("/")
    request.user = user("waakvlammer")
    badges = {item["name"]: item["badge"] for item in navigation(request)["nav_items"]}
    assert badges["notify:list"] == 2
    assert {name for name, badge in badges.items() if badge} == {"notify:list"}
    request.user = user("coordinator")
    assert {item["name"]: item["badge"] for item in navigation(request)["nav_items"]}["notify:list"] == 0
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": []}


def test_english_page(town: Municipality, login: Login) -> None:
    enqueue(town, "a", "waakvlammer")
    assert login("waakvlammer").get("/en/berichten/").status_code == 200
