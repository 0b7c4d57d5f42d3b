"""Two years of signals for the demo town, lived through in order so history, escalations and tracking
look as they would after two years of real use: signals arrive, are picked up (sometimes late, after an
escalation), transferred now and then, and closed; the last weeks stay partly open.

Everything goes through the real services with `now` injected, so the demo obeys the same invariants as
production (owner and due time at intake, one history step per action, access log, tracking moments).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from waakvlam.core import scopes
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Address, Municipality, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.followup.sweep import sweep_kind
from waakvlam.intake.models import Category, Signal, Status
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.notify.models import Notification
from waakvlam.routing.services import signal_claim, signal_close

DAYS = 730
# (category, weight, what was seen): the mix a neighbourhood team sees in a year.
CATEGORY_MIX: list[tuple[str, int, list[str]]] = [
    (
        Category.NUISANCE,
        18,
        ["Harde muziek 's nachts, buren slapen slecht.", "Veel geschreeuw in de woning, ook overdag."],
    ),
    (
        Category.NEGLECT,
        10,
        ["Stank in het trappenhuis, vuilniszakken op het balkon.", "Tuin en balkon vol spullen, ramen al weken dicht."],
    ),
    (
        Category.WORRYING_BEHAVIOUR,
        16,
        ["Bewoner praat verward op straat en lijkt niet te eten.", "Loopt 's nachts rond en belt bij buren aan."],
    ),
    (Category.PAYMENT_ARREARS, 20, ["Huurachterstand van twee maanden.", "Energierekening drie maanden niet betaald."]),
    (Category.EVICTION_RISK, 5, ["Vonnis ontruiming aangevraagd na oplopende huurachterstand."]),
    (
        Category.ISOLATION,
        12,
        ["Oudere bewoner komt de deur niet meer uit, post stapelt zich op.", "Buren hebben haar al weken niet gezien."],
    ),
    (Category.DISCHARGE, 4, ["Komt volgende week terug uit de kliniek, woning nog niet op orde."]),
    (Category.RELAPSE_SIGNS, 8, ["Gordijnen weer dicht, reageert niet op aanbellen, zoals vorige keer."]),
    (Category.SAFETY_FOR_WORKERS, 3, ["Bewoner werd agressief tegen de huismeester."]),
    (Category.OTHER, 4, ["Zorgen over de situatie, kan het niet goed plaatsen."]),
]
OUTCOMES = [
    ("contact_made", 45),
    ("referred", 20),
    ("existing_support", 15),
    ("no_concern", 10),
    ("unreachable", 7),
    ("duplicate", 3),
]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _reporters(municipality: Municipality) -> list[tuple[Reporter, int]]:
    users = {u.username: u for u in User.objects.filter(organisation__municipality=municipality)}
    energy = Organisation.objects.get(municipality=municipality, slug="energie-noord")
    api_key, _ = api_key_create(
        organisation=energy, scopes=[scopes.SIGNALS_WRITE], name="demo: vroegsignalering-koppeling"
    )
    reporters: list[tuple[Reporter, int]] = [(Reporter.for_api_key(api_key), 15)]
    for username, weight in [("signaleerder", 30), ("wijkagent", 15), ("waakvlammer", 8), ("ggz", 7)]:
        if username in users:
            reporters.append((Reporter.for_user(users[username]), weight))
    reporters.append((Reporter.for_public(email="bewoner@demodorp.example", may_contact=False), 10))
    reporters.append((Reporter.for_public(), 15))
    return reporters


def _handlers(signal: Signal) -> list[User]:
    return [u for u in signal.owner_team.members.all() if u.role in {Role.STEWARD, Role.PARTNER, Role.COORDINATOR}]


def demo_signals(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    wanted = options.get("signals", -1)
    households = max(1, options.get("households", 2000))
    count = wanted if wanted >= 0 else min(2000, max(60, households // 2))
    if count == 0:
        return {"signals": 0}
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(days=DAYS)
    addresses = list(
        Address.objects.filter(municipality=municipality).values_list("postcode", "house_number", "house_letter")
    )
    if not addresses:
        return {"signals": 0}
    # A few addresses draw many signals, as in real neighbourhoods: that is where households need a steward.
    hotspots = rng.sample(addresses, k=max(1, len(addresses) // 50))
    reporters = _reporters(municipality)
    # The last fortnight is busier, so the inboxes have new, overdue and escalated signals to show.
    recent = count // 12
    moments = [start + timedelta(minutes=rng.randrange(DAYS * 24 * 60)) for _ in range(count - recent)]
    moments += [now - timedelta(minutes=rng.randrange(14 * 24 * 60)) for _ in range(recent)]
    # Office hours mostly: shift night-time reports to the morning, but keep some evening reports.
    moments = [m if 7 <= timezone.localtime(m).hour < 22 else m + timedelta(hours=9) for m in moments]
    moments = sorted(min(m, now - timedelta(minutes=5)) for m in moments)
    created = claimed = closed = 0
    pending: list[tuple[datetime, str, Signal]] = []
    next_sweep = start
    for moment in moments:
        pending.sort(key=lambda item: item[0])
        while pending and pending[0][0] <= moment:
            at, action, sig = pending.pop(0)
            next_sweep = _sweep_until(at, next_sweep)
            claimed, closed = _act(rng, action, sig, at, now, pending, claimed, closed)
        next_sweep = _sweep_until(moment, next_sweep)
        category, _weight, texts = rng.choices(CATEGORY_MIX, weights=[c[1] for c in CATEGORY_MIX])[0]
        postcode, number, letter = rng.choice(hotspots) if rng.random() < 0.3 else rng.choice(addresses)
        reporter = rng.choices([r for r, _ in reporters], weights=[w for _, w in reporters])[0]
        data = SignalInput(
            category=str(category),
            urgency="high" if rng.random() < 0.12 else "normal",
            description=rng.choice(texts),
            address=AddressInput(postcode=postcode, house_number=number, house_letter=letter),
        )
        signal = signal_create(data=data, reporter=reporter, now=moment, context="demo:load")
        created += 1
        # Most signals are picked up within the response time; some only after an escalation, and of the
        # last ten days some not yet at all.
        if now - moment < timedelta(days=10) and rng.random() < 0.35:
            continue
        delay = timedelta(hours=rng.choice([1, 2, 4, 8, 20, 30, 50, 80]))
        pending.append((moment + delay, "claim", signal))
    for at, action, sig in sorted(pending, key=lambda item: item[0]):
        if at <= now:
            next_sweep = _sweep_until(at, next_sweep)
            claimed, closed = _act(rng, action, sig, at, now, [], claimed, closed)
    sweep_kind("signal_pickup", now)
    # Old notifications are history: mark them delivered and read so the first worker pass sends nothing.
    cutoff = now - timedelta(days=2)
    Notification.objects.filter(municipality=municipality, created_at__lt=cutoff).update(delivered_at=now, read_at=now)
    return {"signals": created, "claimed": claimed, "closed": closed}


def _sweep_until(moment: datetime, last_sweep: datetime) -> datetime:
    """Run the deadline sweep before each simulated event, as the worker would have run it meanwhile.

    Sweeping at most every half hour of simulated time keeps two years of history quick to build."""
    if moment - last_sweep >= timedelta(minutes=30):
        sweep_kind("signal_pickup", moment)
        return moment
    return last_sweep


def _act(
    rng: random.Random,
    action: str,
    signal: Signal,
    at: datetime,
    now: datetime,
    pending: list[tuple[datetime, str, Signal]],
    claimed: int,
    closed: int,
) -> tuple[int, int]:
    signal.refresh_from_db()
    if signal.status == Status.CLOSED:
        return claimed, closed
    if action == "claim":
        handlers = _handlers(signal)
        if not handlers:
            return claimed, closed
        by = rng.choice(handlers)
        signal_claim(signal=signal, by=by, now=at, context="demo:load")
        claimed += 1
        # Closing takes days to weeks; the most recent ones are still in progress.
        close_at = at + timedelta(days=rng.choice([1, 2, 3, 5, 8, 13, 21, 34]))
        if close_at <= now:
            pending.append((close_at, "close", signal))
        return claimed, closed
    by_user = signal.owner_user
    if by_user is None:
        return claimed, closed
    signal_close(signal=signal, by=by_user, outcome=_weighted(rng, OUTCOMES), now=at, context="demo:load")
    return claimed, closed + 1
