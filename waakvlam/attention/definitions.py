"""The attention rules, as readable, versioned declarations.

Each rule has a name and a version (raise the version whenever what it does changes), a plain-language
description in Dutch and English, the facts it reads (a subset of facts.ALLOWED_FIELDS), and tunable
parameters with defaults and bounds. The functional admin switches rules on and off and tunes the
parameters per municipality (configuration.py); the algorithm register is generated from these
declarations and that configuration (register.py), so the published description is always in step.

No score and no learning: a rule fires or it does not, and names the signals and facts it fired on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from waakvlam.attention.facts import POLICE, HouseholdFacts, SignalFact
from waakvlam.intake.models import Category


@dataclass(frozen=True)
class Param:
    name: str
    default: int
    minimum: int
    maximum: int
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class Evidence:
    """A fact of the pilot light's own state that a rule fired on (a contact plan, a warm handover)."""

    kind: str  # "contact_plan" | "handover"
    id: int
    on: date  # the date that matters: the contact that was due, the first contact that was due


@dataclass(frozen=True)
class Firing:
    rule: str
    version: int
    signals: tuple[SignalFact, ...]
    evidence: tuple[Evidence, ...] = ()


Evaluate = Callable[[HouseholdFacts, Mapping[str, int], date], tuple[tuple[SignalFact, ...], tuple[Evidence, ...]]]


@dataclass(frozen=True)
class RuleDef:
    name: str
    version: int
    title_nl: str
    title_en: str
    description_nl: str  # with {parameter} placeholders, filled in from the configuration
    description_en: str
    reads: frozenset[str]
    params: tuple[Param, ...]
    evaluate: Evaluate = field(repr=False)

    def defaults(self) -> dict[str, int]:
        return {p.name: p.default for p in self.params}

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_nl

    def describe(self, language: str, params: Mapping[str, int]) -> str:
        text = self.description_en if language.startswith("en") else self.description_nl
        return text.format(**{**self.defaults(), **params})

    def fire(self, facts: HouseholdFacts, params: Mapping[str, int], today: date) -> Firing | None:
        signals, evidence = self.evaluate(facts, {**self.defaults(), **params}, today)
        if not signals and not evidence:
            return None
        return Firing(self.name, self.version, signals, evidence)


def _within(facts: HouseholdFacts, days: int, today: date) -> list[SignalFact]:
    """The signals received in the last `days` days, today included."""
    first = today - timedelta(days=days - 1)
    return [s for s in facts.signals if first <= s.received_on <= today]


# --- the rules -----------------------------------------------------------------------------------------------


def _multiple_sources(facts: HouseholdFacts, p: Mapping[str, int], today: date) -> tuple[Any, Any]:
    recent = _within(facts, p["window_days"], today)
    if len({s.source for s in recent}) < p["min_sources"]:
        return (), ()
    return tuple(recent), ()


ARREARS = frozenset({Category.PAYMENT_ARREARS.value, Category.EVICTION_RISK.value})
NUISANCE = Category.NUISANCE.value


def _arrears_and_nuisance(facts: HouseholdFacts, p: Mapping[str, int], today: date) -> tuple[Any, Any]:
    recent = _within(facts, p["window_days"], today)
    arrears = [s for s in recent if s.category in ARREARS]
    nuisance = [s for s in recent if s.category == NUISANCE]
    if not arrears or not nuisance:
        return (), ()
    return tuple(s for s in recent if s.category in ARREARS or s.category == NUISANCE), ()


def _signal_while_contact_overdue(facts: HouseholdFacts, p: Mapping[str, int], today: date) -> tuple[Any, Any]:
    grace = timedelta(days=p["grace_days"])
    overdue = [plan for plan in facts.plans if plan.active and plan.next_contact_due + grace < today]
    if not overdue:
        return (), ()
    # A signal counts when it came in after the contact was due (plus the grace), and recently.
    since = min(plan.next_contact_due for plan in overdue) + grace
    signals = tuple(s for s in _within(facts, p["recent_days"], today) if s.received_on > since)
    if not signals:
        return (), ()
    return signals, tuple(Evidence("contact_plan", plan.id, plan.next_contact_due) for plan in overdue)


DISCHARGE = Category.DISCHARGE.value


def _discharge_without_first_contact(facts: HouseholdFacts, p: Mapping[str, int], today: date) -> tuple[Any, Any]:
    late = tuple(
        Evidence("handover", h.id, h.first_contact_due)
        for h in facts.handovers
        if h.open and h.first_contact_on is None and h.first_contact_due < today
    )
    contacts = [plan.last_contact_on for plan in facts.plans if plan.last_contact_on is not None]
    contacts += [h.first_contact_on for h in facts.handovers if h.first_contact_on is not None]
    grace = timedelta(days=p["grace_days"])
    signals = tuple(
        s
        for s in _within(facts, p["window_days"], today)
        if s.category == DISCHARGE
        and s.received_on + grace < today
        and not any(contact >= s.received_on for contact in contacts)
    )
    return signals, late


def _repeated_police(facts: HouseholdFacts, p: Mapping[str, int], today: date) -> tuple[Any, Any]:
    police = [s for s in _within(facts, p["window_days"], today) if s.source == POLICE]
    if len(police) < p["min_count"]:
        return (), ()
    return tuple(police), ()


WINDOW = Param("window_days", 90, 7, 365, "venster in dagen", "window in days")

RULES: tuple[RuleDef, ...] = (
    RuleDef(
        name="multiple_sources",
        version=1,
        title_nl="Signalen uit meerdere bronnen",
        title_en="Signals from several sources",
        description_nl=(
            "Er kwamen over dit huishouden signalen binnen van ten minste {min_sources} verschillende bronnen "
            "(soorten melders, zoals woningcorporatie, politie, buren of een energiebedrijf) in de laatste "
            "{window_days} dagen."
        ),
        description_en=(
            "Signals about this household came from at least {min_sources} different sources (kinds of "
            "reporter, such as the housing association, the police, neighbours or an energy company) in the "
            "last {window_days} days."
        ),
        reads=frozenset({"signal.source", "signal.received_on"}),
        params=(WINDOW, Param("min_sources", 2, 2, 10, "minimaal aantal bronnen", "minimum number of sources")),
        evaluate=_multiple_sources,
    ),
    RuleDef(
        name="arrears_and_nuisance",
        version=1,
        title_nl="Betalingsachterstand én overlast",
        title_en="Payment arrears and nuisance",
        description_nl=(
            "Er kwam in de laatste {window_days} dagen zowel een signaal van betalingsachterstand (of dreigende "
            "huisuitzetting) als een signaal van overlast binnen over dit huishouden."
        ),
        description_en=(
            "In the last {window_days} days both a payment-arrears (or eviction-risk) signal and a nuisance "
            "signal came in about this household."
        ),
        reads=frozenset({"signal.category", "signal.received_on"}),
        params=(WINDOW,),
        evaluate=_arrears_and_nuisance,
    ),
    RuleDef(
        name="signal_while_contact_overdue",
        version=1,
        title_nl="Nieuw signaal terwijl het waakvlamcontact achterloopt",
        title_en="New signal while the pilot-light contact is overdue",
        description_nl=(
            "Een bewoner van dit huishouden heeft een lopend waakvlamcontact waarvan het contact meer dan "
            "{grace_days} dagen over tijd is, en daarna kwam er in de laatste {recent_days} dagen een nieuw "
            "signaal binnen."
        ),
        description_en=(
            "A resident of this household has an active pilot-light contact plan whose contact is more than "
            "{grace_days} days overdue, and since then a new signal came in within the last {recent_days} days."
        ),
        reads=frozenset({"signal.received_on", "plan.id", "plan.active", "plan.next_contact_due"}),
        params=(
            Param("recent_days", 30, 1, 365, "nieuw = in de laatste dagen", "new = within the last days"),
            Param("grace_days", 0, 0, 60, "dagen over tijd voordat het telt", "days overdue before it counts"),
        ),
        evaluate=_signal_while_contact_overdue,
    ),
    RuleDef(
        name="discharge_without_first_contact",
        version=1,
        title_nl="Uitstroom zonder eerste contact",
        title_en="Discharge without a first contact",
        description_nl=(
            "Een warme overdracht na uitstroom uit kliniek of opvang heeft nog geen eerste contact terwijl de "
            "termijn voorbij is; of er kwam in de laatste {window_days} dagen een signaal van uitstroom binnen "
            "en er is {grace_days} dagen later nog geen contact geweest."
        ),
        description_en=(
            "A warm handover after discharge from a clinic or shelter has no first contact while its term has "
            "passed; or a discharge signal came in within the last {window_days} days and {grace_days} days "
            "later there has been no contact yet."
        ),
        reads=frozenset(
            {
                "signal.category",
                "signal.received_on",
                "plan.last_contact_on",
                "handover.id",
                "handover.open",
                "handover.first_contact_due",
                "handover.first_contact_on",
            }
        ),
        params=(WINDOW, Param("grace_days", 5, 0, 60, "dagen tot eerste contact", "days until first contact")),
        evaluate=_discharge_without_first_contact,
    ),
    RuleDef(
        name="repeated_police",
        version=1,
        title_nl="Herhaalde signalen van de politie",
        title_en="Repeated police signals",
        description_nl="De politie meldde in de laatste {window_days} dagen ten minste {min_count} keer over dit huishouden.",
        description_en="The police reported about this household at least {min_count} times in the last {window_days} days.",
        reads=frozenset({"signal.source", "signal.received_on"}),
        params=(WINDOW, Param("min_count", 2, 2, 20, "minimaal aantal signalen", "minimum number of signals")),
        evaluate=_repeated_police,
    ),
)

RULES_BY_NAME: dict[str, RuleDef] = {rule.name: rule for rule in RULES}


def widest_window(settings: Mapping[str, Mapping[str, int]]) -> int:
    """The most days back any configured rule looks: how far back signals are loaded."""
    widest = 1
    for rule in RULES:
        params = {**rule.defaults(), **settings.get(rule.name, {})}
        widest = max(widest, *(v for k, v in params.items() if k.endswith("_days")))
    return widest
