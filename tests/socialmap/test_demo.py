"""Demodorp's social map: at least 60 offers from at least 20 organisations in all twelve neighbourhoods,
resident initiatives with their keeper, and referrals in every state; the same for the same seed."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from waakvlam.core.models import Neighbourhood, User
from waakvlam.core.roles import Role
from waakvlam.demo.services import demo_load
from waakvlam.socialmap import models as m
from waakvlam.socialmap.referral_models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _fingerprint(seed: int) -> tuple[object, ...]:
    try:
        with transaction.atomic():
            demo_load(households=800, signals=0, seed=seed)
            services = tuple(m.Service.objects.order_by("pk").values_list("pk", "name", "capacity", "places_taken"))
            referrals = tuple(Referral.objects.order_by("pk").values_list("service_id", "status", "shared"))
            raise _Rollback((services, referrals))
    except _Rollback as result:
        return tuple(result.args[0])


def test_same_seed_same_map() -> None:
    first, again, other = _fingerprint(5), _fingerprint(5), _fingerprint(6)
    assert first == again
    assert first != other


def test_a_believable_social_map(client: Client) -> None:
    result = demo_load(households=800, signals=0, seed=7513)
    assert result.extras["socialmap.services"] >= 60
    assert m.Service.objects.count() >= 60
    assert m.Organization.objects.filter(services__isnull=False).distinct().count() >= 20
    assert m.Organization.objects.filter(resident_initiative=True).count() >= 4
    hoods = Neighbourhood.objects.filter(municipality=result.municipality)
    for hood in hoods:
        assert m.Service.objects.filter(service_at_locations__location__neighbourhood=hood).exists(), hood.name
    assert not m.Location.objects.filter(latitude__isnull=True).exists()
    assert m.Service.objects.filter(capacity__isnull=False).count() >= 20
    assert not m.Service.objects.filter(schedules__isnull=True).exists()
    keeper = User.objects.get(username="buurtkamer")
    assert keeper.role == Role.ACTIVITY_KEEPER and keeper.two_factor_exempt and keeper.check_password("demo-waakvlam")
    assert m.Service.objects.filter(keeper=keeper).count() >= 3
    assert {r.status for r in Referral.objects.all()} == set(ReferralStatus.values)
    assert Referral.objects.filter(owner_keeper=keeper).exists()
    client.force_login(keeper)
    assert client.get("/mijn-activiteiten/").status_code == 200
    client.force_login(User.objects.get(username="waakvlammer"))
    assert client.get("/verwijzingen/").status_code == 200
    assert client.get("/sociale-kaart/", {"when": "1", "free": "on"}).status_code == 200
    assert client.get("/wat-is-er-te-doen/BU99990200/").status_code == 200
