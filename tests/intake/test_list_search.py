"""The signal list's search and filters: the same narrowing as the API, never wider than what one may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality


def _codes(html: str, *signals: object) -> set[str]:
    return {s.tracking_code for s in signals if f"/signalen/{s.pk}/" in html}  # type: ignore[attr-defined]


def test_search_and_filters_narrow_the_list(town: Municipality, login: Callable[[str], Client]) -> None:
    ours = team("Waakvlam Centrum-Oost")
    hood, other_hood = ours.neighbourhoods.order_by("code")[:2]
    now = timezone.now()
    plain = signal_for(ours, neighbourhood=hood)
    lonely = signal_for(ours, neighbourhood=other_hood, category="isolation")
    late = signal_for(ours, neighbourhood=hood, due_at=now - timedelta(hours=3))
    old = signal_for(ours, neighbourhood=hood, received_at=now - timedelta(days=60), external_id="WBV-7")
    hidden = signal_for(team("Waakvlam West"), external_id="WBV-7")
    client = login("waakvlammer")
    everything = (plain, lonely, late, old, hidden)

    def shown(query: str) -> set[str]:
        response = client.get(f"/signalen/?{query}")
        assert response.status_code == 200
        return _codes(response.content.decode(), *everything)

    assert shown("") == {s.tracking_code for s in (plain, lonely, late, old)}
    assert shown("category=isolation") == {lonely.tracking_code}
    assert shown(f"neighbourhood={other_hood.code}") == {lonely.tracking_code}
    assert shown("overdue=ja") == {late.tracking_code}
    assert shown("q=wbv-7") == {old.tracking_code}  # the other team's WBV-7 stays hidden
    assert shown(f"q={plain.tracking_code.lower()}") == {plain.tracking_code}
    since = (now - timedelta(days=7)).date().isoformat()
    assert shown(f"received_from={since}") == {s.tracking_code for s in (plain, lonely, late)}
    assert shown(f"received_to={since}") == {old.tracking_code}
    assert shown(f"owner={ours.pk}&status=received") == {s.tracking_code for s in (plain, lonely, late, old)}
    page = client.get("/signalen/?category=isolation").content.decode()
    assert "1 signaal gevonden" in page


def test_bad_filters_show_errors_and_no_500(town: Municipality, login: Callable[[str], Client]) -> None:
    client = login("coordinator")
    for query in ["received_from=gisteren", "status=open", "received_from=2026-05-02&received_to=2026-05-01", "q=%00"]:
        response = client.get(f"/signalen/?{query}")
        assert response.status_code == 200
        assert "Controleer wat je hebt ingevuld" in response.content.decode()


def test_pagination_keeps_the_filters(town: Municipality, login: Callable[[str], Client]) -> None:
    ours = team("Waakvlam Centrum-Oost")
    for _ in range(26):
        signal_for(ours, category="isolation")
    page = login("waakvlammer").get("/signalen/?category=isolation").content.decode()
    assert "?category=isolation&amp;pagina=2" in page
