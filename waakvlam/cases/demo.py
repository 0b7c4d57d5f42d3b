"""Case conferences and an area meeting in the demo town, made through the services (so each also leaves its
access-log entries and notifications): one running case with a task in every state (open, done, dropped,
overdue), a closed case, a fresh one; and a spike of nuisance signals around the square in Marktveld, found
by the detector, with its area meeting and tasks. Deterministic for the random state; dates count back from
today. Runs before the bulk signals (the demo app's extension comes last), so it reports its own."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from waakvlam.cases.area import AreaMeetingInput, area_meeting_close, area_meeting_convene, area_minutes_save
from waakvlam.cases.models import CaseConference, Scope, SharingBasis, Spike
from waakvlam.cases.services import (
    ConveneInput,
    InviteInput,
    conference_close,
    conference_convene,
    decision_record,
    minutes_save,
    participant_invite,
)
from waakvlam.cases.spike import spike_sweep
from waakvlam.cases.tasks import TaskInput, task_create, task_settle
from waakvlam.cases.workflow import TaskStatus
from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.core.models import Address, Municipality, Neighbourhood, Organisation, User
from waakvlam.households.models import Household
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.services import Actor

SPIKE_NEIGHBOURHOOD = "Marktveld"
QUESTIONS = [
    "Huurachterstand en overlast: wie doet wat?",
    "Terugkeer na opname: wonen, geld en dagbesteding rond krijgen",
    "Vervuiling van de woning en weinig netwerk",
]


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.pk,
        username=user.username,
        role=user.role,
        organisation=user.organisation.slug if user.organisation else "",
    )


def _report(household: Household, reporter: User, category: str, at: datetime, text: str) -> None:
    a = household.address
    data = SignalInput(
        category=category,
        description=text,
        address=AddressInput(a.postcode, a.house_number, a.house_letter, a.house_number_addition),
    )
    signal_create(data=data, reporter=Reporter.for_user(reporter), now=at, context="demo:load")


def demo_cases(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(organisation__municipality=municipality)}
    steward = users.get("waakvlammer")
    if steward is None:
        return {}
    orgs = {o.slug: o for o in Organisation.objects.filter(municipality=municipality)}
    now = timezone.now().replace(second=0, microsecond=0)
    plans = list(
        ContactPlan.objects.filter(steward=steward, status=PlanStatus.ACTIVE, resident__household__isnull=False)
        .select_related("resident__household__address")
        .order_by("pk")[:40]
    )
    chosen = rng.sample(plans, k=min(3, len(plans)))
    counts = {"case_conferences": 0, "tasks": 0, "area_meetings": 0, "spikes": 0}
    for index, plan in enumerate(chosen):
        started = now - timedelta(days=[21, 60, 2][index])
        household = plan.resident.household
        assert household is not None
        _report(
            household,
            users["signaleerder"],
            "payment_arrears",
            started - timedelta(days=12),
            "Tweede maand huurachterstand.",
        )
        _report(
            household,
            users["wijkagent"],
            "nuisance",
            started - timedelta(days=5),
            "Melding van geluidsoverlast 's nachts.",
        )
        conference = _case(plan, index, started, now, users, orgs)
        counts["case_conferences"] += 1
        counts["tasks"] += conference.tasks.count()
    spike_counts = _spike_and_area_meeting(municipality, rng, now, users, orgs)
    counts.update(spike_counts)
    return counts


def _case(
    plan: ContactPlan,
    index: int,
    started: datetime,
    now: datetime,
    users: dict[str, User],
    orgs: dict[str, Organisation],
) -> CaseConference:
    steward = users["waakvlammer"]
    act = _actor(steward)
    household = plan.resident.household
    assert household is not None
    with_resident = index != 1
    conference = conference_convene(
        household=household,
        data=ConveneInput(
            question=QUESTIONS[index],
            meets_on=timezone.localdate(started),
            resident_takes_part=with_resident,
            network_takes_part=with_resident,
            without_resident_reason="" if with_resident else "Bewoner wil eerst zelf met de corporatie praten",
            resident=plan.resident,
        ),
        by=steward,
        actor=act,
        now=started,
    )
    guests = [
        ("signaleerder", SharingBasis.CONSENT, "", set()),
        (
            "ggz",
            SharingBasis.LEGAL_TASK,
            "Wet verplichte ggz, art. 5:1 (bemoeizorg)",
            {Scope.SIGNALS, Scope.CONTACT_PLAN},
        ),
        ("wijkagent", SharingBasis.LEGAL_TASK, "Politiewet 2012, art. 3", {Scope.SIGNALS}),
        ("budgetcoach", SharingBasis.CONSENT, "", {Scope.CONTACT_PLAN}),
    ]
    for username, basis, note, scopes in guests:
        if username in users:
            participant_invite(
                conference=conference,
                data=InviteInput(users[username], basis, note, frozenset(scopes)),
                by=steward,
                actor=act,
                now=started,
            )
    decision = decision_record(
        conference=conference,
        text="Eerst een betalingsregeling, daarna samen naar de huisarts",
        by=steward,
        actor=act,
        now=started,
    )
    minutes_save(
        conference=conference,
        text="Afgesproken wie wat doet; de waakvlammer houdt de regie over het contact.",
        by=steward,
        actor=act,
        now=started,
    )
    today = timezone.localdate(started)
    specs = [
        ("woonstede", "signaleerder", "Betalingsregeling aanbieden", "Regeling getekend", 30, None),
        (
            "ggz-kompas",
            "ggz",
            "Bemoeizorg: huisbezoek samen met de waakvlammer",
            "Bezoek gedaan en verslag gedeeld",
            7,
            TaskStatus.DONE,
        ),
        ("politie", "wijkagent", "Buren aanspreken op de overlast", "Gesprek gevoerd", 14, TaskStatus.DROPPED),
        ("schuldhulp", "budgetcoach", "Budgetcoaching starten", "Eerste gesprek gehad", 16, None),
    ]
    if index == 1:  # the closed case: everything settled
        specs = [(o, u, t, d, days, status or TaskStatus.DONE) for o, u, t, d, days, status in specs]
    elif index == 2:  # the fresh case: one open task
        specs = specs[:1]
    for slug, username, title, done, days, status in specs:
        if slug not in orgs or username not in users:
            continue
        task = task_create(
            conference=conference,
            data=TaskInput(
                title, done, orgs[slug], today + timedelta(days=days), owner_user=users[username], decision=decision
            ),
            by=steward,
            actor=act,
            now=started,
        )
        if status is not None:
            owner = users[username]
            note = "Bewoner verhuist naar familie; overlast is gestopt" if status == TaskStatus.DROPPED else ""
            task_settle(
                task=task, to=status, note=note, by=owner, actor=_actor(owner), now=started + timedelta(days=days - 2)
            )
    if index == 1:
        conference = conference_close(conference=conference, by=steward, actor=act, now=started + timedelta(days=20))
    return conference


def _spike_and_area_meeting(
    municipality: Municipality, rng: random.Random, now: datetime, users: dict[str, User], orgs: dict[str, Organisation]
) -> dict[str, int]:
    hood = Neighbourhood.objects.filter(municipality=municipality, name=SPIKE_NEIGHBOURHOOD).first()
    addresses = list(Address.objects.filter(neighbourhood=hood).order_by("pk")[:60]) if hood else []
    if hood is None or len(addresses) < 7 or "wijkagent" not in users:
        return {}
    # A weekend of nuisance around the square: seven reports within two days, where there are usually none.
    for i, address in enumerate(rng.sample(addresses, 7)):
        at = now - timedelta(hours=46) + timedelta(hours=6 * i + rng.randint(0, 3))
        data = SignalInput(
            category="nuisance",
            description="Groep jongeren op het plein, harde muziek en vernielingen in het trappenhuis.",
            address=AddressInput(
                address.postcode, address.house_number, address.house_letter, address.house_number_addition
            ),
        )
        reporter = users["wijkagent"] if i % 2 else users["signaleerder"]
        signal_create(data=data, reporter=Reporter.for_user(reporter), now=at, context="demo:load")
    spikes = spike_sweep(now)["spikes"]
    spike = Spike.objects.filter(neighbourhood=hood, category="nuisance").order_by("-detected_at").first()
    coordinator = users.get("coordinator") or users["regie"]
    meeting = area_meeting_convene(
        data=AreaMeetingInput(hood, "Overlast rond het Marktplein", timezone.localdate(now), spike=spike),
        by=coordinator,
        actor=_actor(coordinator),
        now=now,
    )
    tasks = 0
    for slug, title, done in [
        ("woonstede", "Trapverlichting repareren en camera bij de ingang", "Alle lampen branden"),
        ("gemeente", "Extra handhaving parkeren en rondhangen in het weekend", "Twee weekenden handhaving gedaan"),
        ("buurtwerk", "Bewonersavond organiseren", "Avond gehouden met bewoners van het plein"),
    ]:
        if slug in orgs:
            task = task_create(
                area_meeting=meeting,
                data=TaskInput(title, done, orgs[slug], timezone.localdate(now) + timedelta(days=14)),
                by=coordinator,
                actor=_actor(coordinator),
                now=now,
            )
            tasks += 1
            if slug == "buurtwerk":
                task_settle(task=task, to=TaskStatus.DONE, by=coordinator, actor=_actor(coordinator), now=now)
    area_minutes_save(
        meeting=meeting,
        text="Afspraken over licht, handhaving en een bewonersavond.",
        by=coordinator,
        actor=_actor(coordinator),
        now=now,
    )
    # An earlier area meeting, settled and closed, so the list shows both states.
    earlier = area_meeting_convene(
        data=AreaMeetingInput(hood, "Zwerfafval bij de containers", timezone.localdate(now - timedelta(days=90))),
        by=coordinator,
        actor=_actor(coordinator),
        now=now - timedelta(days=90),
    )
    area_minutes_save(
        meeting=earlier,
        text="Containers worden vaker geleegd.",
        by=coordinator,
        actor=_actor(coordinator),
        now=now - timedelta(days=90),
    )
    area_meeting_close(meeting=earlier, by=coordinator, actor=_actor(coordinator), now=now - timedelta(days=60))
    return {"spikes": spikes, "area_meetings": 2, "area_tasks": tasks}
