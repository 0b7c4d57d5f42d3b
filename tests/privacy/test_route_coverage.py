"""Every screen and API operation that shows a resident's personal data logs whom it showed.

The test walks every URL pattern and every GET operation of the API, as each role (and as a partner key
with every scope), over a small world of known residents. A response that contains a resident's name or
address must have written an access-log entry, during that request, naming that resident (`resident:…`)
or their address (`address:…`). New screens are picked up by themselves; what a new screen must do:

1. A URL with arguments: add one line to ROUTE_ARGS (URL name → its kwargs from the world), or to
   NOT_READS with the reason it shows nobody's data. An API path parameter: add it to API_PARAMS.
2. Log the read naming the subject: `get_visible_or_404(..., subject_of=...)` for one object, or
   `privacy.services.access_log_reads(reads=[(obj.pk, resident_subject(...)), ...])` for a list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.attention.conftest import signal_at
from tests.cases.conftest import convene, give_task, invite
from tests.contact.helpers import actor_of, consent_for, early_warning_for, plan_for, postcode_areas
from tests.factories import address_in, signal_for, team, user
from tests.network.conftest import supporter
from tests.socialmap.factories import need as map_need
from tests.socialmap.factories import service as map_service
from waakvlam.attention.models import AttentionItem
from waakvlam.attention.services import items_refresh
from waakvlam.bulkimport.import_jobs import report_path
from waakvlam.bulkimport.models import ImportJob, ImportStatus
from waakvlam.cases.area import AreaMeetingInput, area_meeting_convene
from waakvlam.cases.models import Scope, SharingBasis, Spike
from waakvlam.config.api import api
from waakvlam.contact.models import DataKind, EarlyWarningPlan
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.apikeys import SCOPES, api_key_create
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.models import Household, Resident
from waakvlam.households.services import AddressInput
from waakvlam.intake.models import Signal
from waakvlam.network.services import LinkInput, supporter_link_create
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.socialmap.need_models import ResidentNeed
from waakvlam.socialmap.referral_models import Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send

pytestmark = pytest.mark.django_db

# The demo roles, plus the light roles the world adds: an activity keeper and an informal supporter.
ROLES = ["waakvlammer", "coordinator", "ggz", "signaleerder", "privacy", "regie", "beheer", "buurtkamer", "buddy"]


@dataclass
class World:
    plan_resident: Resident
    plan: Any
    consent: Any
    signal: Any
    handover: Any
    moment: Any
    conference: Any
    task: Any
    spike: Any
    area_meeting: Any
    attention_item: Any
    link: Any
    service: Any
    referral: Any
    need: Any
    invited: User
    # marker text → the access-log subjects that name its person
    markers: dict[str, set[str]]


def _resident(name: str, number: int) -> Resident:
    hood = Neighbourhood.objects.get(code="BU99990100")
    address = address_in(hood, number)
    household = Household.objects.create(
        municipality=hood.municipality, address=address, neighbourhood=hood, created_at=timezone.now()
    )
    return Resident.objects.create(
        municipality=hood.municipality, household=household, name=name, created_at=timezone.now()
    )


def _import_job(hood: Neighbourhood) -> tuple[Signal, ImportJob]:
    """A finished import of woonstede by `signaleerder` whose summary and report list, as a duplicate, the
    external_id of a signal woonstede reported earlier."""
    woonstede = Organisation.objects.get(slug="woonstede")
    earlier = signal_for(
        team("Waakvlam Centrum-Oost"),
        address=address_in(hood, 704),
        reporter_organisation=woonstede,
        external_id="WBV-ZWALUW-704",
    )
    problem = {"line": 2, "external_id": "WBV-ZWALUW-704", "column": "", "outcome": "dubbel", "reason": "dubbel"}
    job = ImportJob.objects.create(
        organisation=woonstede,
        created_by=user("signaleerder"),
        token="routecoverage",
        filename="achterstanden.csv",
        status=ImportStatus.DONE,
        rows_read=1,
        duplicates=1,
        problems=[problem],
        has_report=True,
        created_at=timezone.now(),
        finished_at=timezone.now(),
    )
    report_path(job).write_text(
        "regel,external_id,kolom,uitkomst,reden\r\n2,WBV-ZWALUW-704,,dubbel,Al eerder ingelezen\r\n", encoding="utf-8"
    )
    return earlier, job


@pytest.fixture
def world(town: Municipality, settings: Any, tmp_path: Any) -> World:
    settings.VAR_DIR = tmp_path
    postcode_areas()
    resident = _resident("Anna Zwaluw", 701)
    plan = plan_for("waakvlammer", resident=resident)
    consent = consent_for(resident, "ggz-kompas", DataKind.CONTACT_PLAN)
    early_warning_for(resident)
    moment = contact_record(
        plan=plan,
        data=MomentInput(
            happened_on=timezone.localdate(), channel="phone", made=True, wellbeing="fine", note="Gebeld."
        ),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    signal = signal_for(
        team("Waakvlam Centrum-Oost"), address=address_in(Neighbourhood.objects.get(code="BU99990100"), 702)
    )
    handover = handover_announce(
        data=HandoverInput(
            discharge_on=timezone.localdate(), address=AddressInput("9901AB", 703), resident_name="Karel Spreeuw"
        ),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=timezone.now(),
    )
    earlier, _job = _import_job(Neighbourhood.objects.get(code="BU99990100"))
    markers = {
        # a partner's reference to a debtor, as the import summary and report list it
        "WBV-ZWALUW-704": {f"address:{earlier.address_id}"},
        "Anna Zwaluw": {f"resident:{resident.pk}", f"address:{resident.household.address_id}"},  # type: ignore[union-attr]
        "Teststraat 701": {f"resident:{resident.pk}", f"address:{resident.household.address_id}"},  # type: ignore[union-attr]
        # the first name alone, as a referral shares it with an activity keeper
        "Anna": {f"resident:{resident.pk}", f"address:{resident.household.address_id}"},  # type: ignore[union-attr]
        "Teststraat 702": {f"address:{signal.address_id}"},
        "Karel Spreeuw": {f"resident:{handover.resident_id}", f"address:{handover.address_id}"},
    }
    return World(resident, plan, consent, signal, handover, moment, *_case_and_map(resident), markers)


def _case_and_map(resident: Resident) -> tuple[Any, ...]:
    """The newer kinds around the plan resident: a case conference about her household (ggz invited, a task
    for woonstede), a spike with an area meeting, an attention item, a supporter, a referral to an activity
    kept by `buurtkamer`, and an invited professional."""
    now = timezone.now()
    household = resident.household
    assert household is not None
    conference = convene(household, resident)
    invite(conference, "signaleerder", set())
    invite(conference, "ggz", {Scope.SIGNALS, Scope.CONTACT_PLAN}, basis=SharingBasis.LEGAL_TASK)
    task = give_task(conference)
    hood = Neighbourhood.objects.get(code="BU99990100")
    spike = Spike.objects.create(
        municipality=hood.municipality,
        neighbourhood=hood,
        category="nuisance",
        window_start=now - timedelta(days=2),
        window_end=now,
        count=6,
        usual=1.0,
        detected_at=now,
    )
    meeting = area_meeting_convene(
        data=AreaMeetingInput(hood, "Overlast rond het plein", timezone.localdate(now), spike),
        by=user("regie"),
        actor=actor_of("regie"),
        now=now,
    )
    for days, org, category in (
        (3, "politie", "nuisance"),
        (1, "politie", "payment_arrears"),
        (0, "woonstede", "nuisance"),
    ):
        signal_at(household, at=now - timedelta(days=days, hours=1), org=org, category=category)
    items_refresh(household_ids=[household.pk], now=now)
    item = AttentionItem.objects.get(household=household)
    link = supporter_link_create(
        resident=resident,
        data=LinkInput(supporter("buddy"), "buddy", "Mondeling bij huisbezoek", "Bel aan, ze hoort slecht."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=now,
    )
    keeper = User.objects.create_user(
        "buurtkamer",
        password="x" * 16,
        role=Role.ACTIVITY_KEEPER,
        organisation=Organisation.objects.get(slug="buurtkamer"),
        two_factor_exempt=True,
    )
    service = map_service(hood.municipality, name="Koffieochtend", neighbourhood=hood, capacity=4, keeper=keeper)
    referral = referral_send(
        sender=user("waakvlammer"),
        resident=resident,
        service=service,
        data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Anna", consent_given=True),
        now=now,
        actor=actor_of("waakvlammer"),
    )
    invited = User.objects.create_user("uitgenodigd", role=Role.STEWARD, organisation=user("waakvlammer").organisation)
    need = ResidentNeed.objects.create(
        resident=resident, term=map_need("ontmoeting", "Ontmoeting"), recorded_by=user("waakvlammer"), recorded_at=now
    )
    return conference, task, spike, meeting, item, link, service, referral, need, invited


# URL name → its kwargs (and query string) from the world. One line per screen with arguments.
ROUTE_ARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "intake:signal_detail": lambda w: {"pk": w.signal.pk},
    "intake:import_detail": lambda w: {"pk": ImportJob.objects.get(token="routecoverage").pk},
    "intake:import_report": lambda w: {"pk": ImportJob.objects.get(token="routecoverage").pk},
    "households:signal_merge": lambda w: {"pk": w.signal.pk},
    "routing:signal_explain": lambda w: {"pk": w.signal.pk},
    "insight:regie_signal": lambda w: {"pk": w.signal.pk},
    "intake:track_detail": lambda w: {"code": w.signal.tracking_code},
    "routing:signal_claim": lambda w: {"pk": w.signal.pk},
    "routing:signal_transfer": lambda w: {"pk": w.signal.pk},
    "routing:signal_close": lambda w: {"pk": w.signal.pk},
    "contact:early_warning_plan": lambda w: {"resident_id": str(w.plan_resident.public_id)},
    "contact:early_warning_plan_edit": lambda w: {"resident_id": str(w.plan_resident.public_id)},
    "contact:early_warning_plan_print": lambda w: {"resident_id": str(w.plan_resident.public_id)},
    "contact:resident_consents": lambda w: {"resident_id": str(w.plan_resident.public_id)},
    "contact:consent_revoke": lambda w: {"pk": w.consent.public_id},
    "contact:plan_detail": lambda w: {"pk": w.plan.public_id},
    "contact:plan_edit": lambda w: {"pk": w.plan.public_id},
    "contact:contact_record": lambda w: {"pk": w.plan.public_id},
    "contact:plan_close": lambda w: {"pk": w.plan.public_id},
    "handover:detail": lambda w: {"pk": w.handover.public_id},
    "handover:accept": lambda w: {"pk": w.handover.public_id},
    "handover:item": lambda w: {"pk": w.handover.public_id, "topic": "housing"},
    "handover:close": lambda w: {"pk": w.handover.public_id},
    "households:household_detail": lambda w: {"public_id": w.plan_resident.household.public_id},  # type: ignore[union-attr]
    "households:resident_export": lambda w: {"pk": w.plan_resident.public_id},
    "households:resident_erase": lambda w: {"pk": w.plan_resident.public_id},
    "households:resident_export_json": lambda w: {"pk": w.plan_resident.public_id},
    "core:invite_accept": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.invited.pk)),
        "token": default_token_generator.make_token(w.invited),
    },
    "core:admin_user_edit": lambda w: {"pk": w.invited.pk},
    "core:admin_user_two_factor": lambda w: {"pk": w.invited.pk},
    "core:admin_team_edit": lambda w: {"pk": w.plan.team_id},
    "core:admin_organisation_edit": lambda w: {"pk": w.invited.organisation_id},
    "cases:conference_detail": lambda w: {"pk": w.conference.public_id},
    "cases:conference_invite": lambda w: {"pk": w.conference.public_id},
    "cases:conference_decision": lambda w: {"pk": w.conference.public_id},
    "cases:conference_minutes": lambda w: {"pk": w.conference.public_id},
    "cases:conference_director": lambda w: {"pk": w.conference.public_id},
    "cases:conference_task": lambda w: {"pk": w.conference.public_id},
    "cases:conference_close": lambda w: {"pk": w.conference.public_id},
    "cases:task_detail": lambda w: {"pk": w.task.public_id},
    "cases:task_done": lambda w: {"pk": w.task.public_id},
    "cases:task_drop": lambda w: {"pk": w.task.public_id},
    "cases:spike_detail": lambda w: {"pk": w.spike.pk},
    "cases:area_detail": lambda w: {"pk": w.area_meeting.pk},
    "cases:area_task": lambda w: {"pk": w.area_meeting.pk},
    "cases:area_minutes": lambda w: {"pk": w.area_meeting.pk},
    "cases:area_close": lambda w: {"pk": w.area_meeting.pk},
    "network:report": lambda w: {"pk": w.link.public_id},
    "network:resident_network": lambda w: {"resident_id": str(w.plan_resident.public_id)},
    "attention:detail": lambda w: {"pk": w.attention_item.public_id},
    "attention:take_up": lambda w: {"pk": w.attention_item.public_id},
    "attention:dismiss": lambda w: {"pk": w.attention_item.public_id},
    "socialmap:service": lambda w: {"pk": w.service.pk},
    "socialmap:referral_create": lambda w: {"service_id": w.service.pk},
    "socialmap:referral_detail": lambda w: {"pk": w.referral.public_id},
    "socialmap:referral_answer": lambda w: {"pk": w.referral.public_id},
    "socialmap:referral_warm": lambda w: {"pk": w.referral.public_id},
    "socialmap:keeper_edit": lambda w: {"pk": w.service.pk},
    "socialmap:need_record": lambda w: {"plan_id": w.plan.public_id},
    "socialmap:need_end": lambda w: {"plan_id": w.plan.public_id, "pk": w.need.pk},
    "socialmap:map_admin_organization": lambda w: {"pk": w.service.organization_id},
    "socialmap:map_admin_service_new": lambda w: {"organization_id": w.service.organization_id},
    "socialmap:map_admin_service": lambda w: {"pk": w.service.pk},
    "socialmap:public_neighbourhood": lambda w: {"code": "BU99990100"},
}
# The conference's three scoped parts: one URL name, walked once per part.
SCOPED_PARTS = {"cases:conference_scope": ("part", ["agenda", "waakvlamcontact", "signaleringsplan"])}
QUERIES: dict[str, str | Callable[[World], str]] = {
    "households:resident_search": "q=Zwaluw",
    "intake:signal_list": "",
    "core:home": "",
    "socialmap:referral_create": lambda w: f"resident={w.plan_resident.public_id}",
    "cases:conference_create": lambda w: f"household={w.plan_resident.household.public_id}",  # type: ignore[union-attr]
}
# URL name → why it shows nobody's personal data (it still gets walked when it takes no arguments).
NOT_READS = {
    "intake:import_progress": "the progress bar of an import job: counts only",
    "routing:rule_edit": "a routing rule: teams and neighbourhoods, no residents",
    "routing:rule_up": "a routing rule (POST only)",
    "routing:rule_down": "a routing rule (POST only)",
    "routing:rule_activate": "a routing rule (POST only)",
    "routing:rule_deactivate": "a routing rule (POST only)",
    "notify:read": "marks a notification read (POST only)",
    "core:logout": "logs out",
    "socialmap:moderation_decide": "decides a keeper's pending change to an activity (POST only)",
}
# API path parameter → its value from the world.
API_PARAMS: dict[str, Callable[[World], object]] = {
    "signal_id": lambda w: w.signal.pk,
    "household_id": lambda w: w.plan_resident.household.public_id,  # type: ignore[union-attr]
    "plan_id": lambda w: w.plan.public_id,
    "resident_id": lambda w: w.plan_resident.public_id,
    "consent_id": lambda w: w.consent.public_id,
    "handover_id": lambda w: w.handover.public_id,
    "tracking_code": lambda w: w.signal.tracking_code,
    "contact_id": lambda w: w.moment.public_id,
    "conference_id": lambda w: w.conference.public_id,
    "task_id": lambda w: w.task.public_id,
    "meeting_id": lambda w: w.area_meeting.pk,
    "item_id": lambda w: w.attention_item.public_id,
    "referral_id": lambda w: w.referral.public_id,
    "provision_id": lambda w: w.service.pk,
}
# A path parameter whose meaning depends on the path (HSDS names every identifier `id`).
API_PATH_PARAMS: dict[tuple[str, str], Callable[[World], object]] = {
    # `plan_id` names a contact plan, except here: an early-warning plan (both by public id).
    ("/api/v1/early-warning-plans/{plan_id}", "plan_id"): lambda w: (
        EarlyWarningPlan.objects.get(resident=w.plan_resident).public_id
    ),
    ("/api/v1/hsds/services/{id}", "id"): lambda w: w.service.pk,
    ("/api/v1/hsds/organizations/{id}", "id"): lambda w: w.service.organization_id,
    ("/api/v1/hsds/service_at_locations/{id}", "id"): lambda w: w.service.service_at_locations.get().pk,
}


def _patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, inner)
        elif p.name and not namespace.startswith("api-"):  # the API is walked from its OpenAPI document
            yield f"{namespace}{p.name}", p


def _screens(w: World) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, path) for every screen to walk, and the names of screens nobody registered."""
    screens, unknown = [], []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if name in NOT_READS:
            continue
        if name in SCOPED_PARTS:
            arg, parts = SCOPED_PARTS[name]
            screens += [(name, reverse(name, kwargs={"pk": w.conference.public_id, arg: part})) for part in parts]
            continue
        if pattern.pattern.regex.groups:
            if name not in ROUTE_ARGS:
                unknown.append(name)
                continue
            path = reverse(name, kwargs=ROUTE_ARGS[name](w))
        else:
            path = reverse(name)
        query = QUERIES.get(name, "")
        query = query if isinstance(query, str) else query(w)
        screens.append((name, f"{path}?{query}" if query else path))
    return screens, unknown


def _api_paths(w: World) -> tuple[list[str], list[str]]:
    paths, unknown = [], []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations:
            continue
        params = [p["name"] for p in operations["get"].get("parameters", []) if p.get("in") == "path"]
        given = {p: API_PATH_PARAMS.get((path, p), API_PARAMS.get(p)) for p in params}
        missing = [p for p, value in given.items() if value is None]
        if missing:
            unknown += [f"{path} ({', '.join(missing)})"]
            continue
        paths.append(path.format(**{p: value(w) for p, value in given.items() if value is not None}))
    return paths, unknown


def _problems(client: Client, w: World, who: str, paths: list[tuple[str, str]], headers: dict[str, str]) -> list[str]:
    problems = []
    for name, path in paths:
        before = AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            continue
        # Files too (the import report): what a download shows is a read like any page.
        raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        body = raw.decode(errors="replace")
        logged = set(AccessLogEntry.objects.filter(seq__gt=before).values_list("subject", flat=True))
        for marker, subjects in w.markers.items():
            if marker in body and not (subjects & logged):
                problems.append(
                    f"{who} GET {path} ({name}) shows {marker!r} but logged no entry naming {sorted(subjects)}"
                )
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{who} GET {path} ({name}) may be cached: no Cache-Control: no-store")
    return problems


def test_every_read_of_personal_data_names_its_subject(world: World) -> None:
    screens, unknown_screens = _screens(world)
    api_paths, unknown_api = _api_paths(world)
    assert not unknown_screens and not unknown_api, (
        "New screens or API paths with arguments: add them to ROUTE_ARGS / API_PARAMS in "
        f"tests/privacy/test_route_coverage.py (or NOT_READS with a reason): {unknown_screens + unknown_api}"
    )
    problems: list[str] = []
    walked = [*screens, *[(f"api {p}", p) for p in api_paths]]
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        problems += _problems(client, world, username, walked, {})
    _, key = api_key_create(organisation=Organisation.objects.get(slug="buurtwerk"), scopes=list(SCOPES))
    problems += _problems(
        Client(), world, "api key", [(f"api {p}", p) for p in api_paths], {"Authorization": f"Bearer {key}"}
    )
    assert not problems, (
        "A response showed a resident's personal data without an access-log entry naming them. Log the read "
        "with its subject: get_visible_or_404(..., subject_of=...) for one object, "
        "privacy.services.access_log_reads(reads=[(pk, resident_subject(id)), ...]) for a list.\n" + "\n".join(problems)
    )


def test_the_walk_does_see_personal_data(world: World) -> None:
    """Guard against a walk that passes because it reached nothing: the resident's own pages show her."""
    client = Client()
    client.force_login(User.objects.get(username="waakvlammer"))
    shown = client.get(reverse("contact:plan_detail", kwargs={"pk": world.plan.public_id})).content.decode()
    assert "Anna Zwaluw" in shown
    screens, _ = _screens(world)
    assert len(screens) > 40
