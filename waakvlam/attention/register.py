"""The attention list's entry for the Dutch Algorithm Register (algoritmeregister.overheid.nl), generated
from the rule declarations and the municipality's configuration in force, so the published description is
always in step with what runs: a switched rule or a changed parameter shows here at once.

`waakvlam attention-register [--format md|json]` prints it; the UI shows it at /aandacht/register/;
docs/algorithm-register.md is this output for Demodorp's defaults.
"""

from __future__ import annotations

from typing import Any

from waakvlam.attention.configuration import ActiveConfiguration, configuration_for
from waakvlam.attention.facts import ALLOWED_FIELDS
from waakvlam.core.models import Municipality

FIELD_LABELS = {
    "nl": {
        "signal": "signaal",
        "plan": "waakvlamcontact",
        "handover": "warme overdracht",
        "id": "nummer",
        "tracking_code": "volgcode",
        "category": "soort zorg",
        "source": "bron (soort melder)",
        "received_on": "datum ontvangen",
        "active": "lopend of afgesloten",
        "next_contact_due": "volgend contact uiterlijk",
        "last_contact_on": "laatste contact",
        "open": "lopend of afgerond",
        "discharge_on": "datum uitstroom",
        "first_contact_due": "eerste contact uiterlijk",
        "first_contact_on": "eerste contact op",
    },
    "en": {
        "signal": "signal",
        "plan": "contact plan",
        "handover": "warm handover",
        "id": "number",
        "tracking_code": "tracking code",
        "category": "category",
        "source": "source (kind of reporter)",
        "received_on": "date received",
        "active": "active or closed",
        "next_contact_due": "next contact due",
        "last_contact_on": "last contact",
        "open": "open or finished",
        "discharge_on": "discharge date",
        "first_contact_due": "first contact due",
        "first_contact_on": "first contact on",
    },
}

TEXT = {
    "nl": {
        "name": "Aandachtslijst Waakvlam (samenkomende signalen)",
        "purpose": (
            "Huishoudens waar zorgen uit verschillende hoeken samenkomen op tijd in beeld brengen bij het team "
            "dat er contact mee kan leggen, zodat iemand kan kijken of er hulp nodig is vóórdat het escaleert "
            "(huisuitzetting, crisis, politie aan de deur)."
        ),
        "method": (
            "Vaste regels, geen score en geen zelflerend model. Elke regel vuurt of vuurt niet; een huishouden "
            "staat op de lijst zolang ten minste één ingeschakelde regel vuurt. Bij elk aandachtspunt staat welke "
            "regels (naam en versie) vuurden op welke signalen (volgcode, datum, bron, soort zorg)."
        ),
        "not_used": (
            "Niet gebruikt: naam, geboortedatum, adres of postcode (een postcode is nooit een reden), buurt, "
            "nationaliteit, etniciteit, religie, gezondheid of diagnose, inkomen of hoogte van een schuld, de "
            "vrije tekst van een signaal, de urgentie, en alles wat daarvoor een afgeleide kan zijn."
        ),
        "oversight": (
            "Een aandachtspunt verandert zelf niets (AVG artikel 22). Een waakvlammer of coördinator van het "
            "eigenaarsteam besluit: oppakken (outreach, waakvlamcontact of casusoverleg) of afwijzen met een "
            "reden. Een afgewezen punt komt pas terug als er een nieuw signaal binnenkomt. Elke inzage en elk "
            "besluit staat in het toegangslog. De functioneel beheerder zet regels aan of uit en stelt ze af; "
            "elke wijziging krijgt een nieuw versienummer met wie en wanneer."
        ),
        "objection": (
            "Bewoners kunnen bij de gemeente inzage vragen in wat over hen is vastgelegd, inclusief "
            "aandachtspunten en wie die inzag, en bezwaar maken of om correctie of verwijdering vragen via de "
            "privacyfunctionaris van de gemeente. Een aandachtspunt leidt nooit automatisch tot een besluit; "
            "tegen elk besluit dat een medewerker daarna neemt staan de gewone bezwaarmogelijkheden open."
        ),
        "legal_basis": "Wmo 2015 (art. 2.3.1 e.v.), Wet gemeentelijke schuldhulpverlening (vroegsignalering), AVG art. 6 lid 1 sub e.",
        "rules": "Regels",
        "data": "Gebruikte gegevens",
        "on": "aan",
        "off": "uit",
    },
    "en": {
        "name": "Waakvlam attention list (converging signals)",
        "purpose": (
            "To bring households where worries from different sides come together to the attention of the "
            "team that can reach them, in time, so that someone can look whether help is needed before it "
            "escalates (eviction, crisis, police at the door)."
        ),
        "method": (
            "Fixed rules, no score and no self-learning model. Each rule fires or it does not; a household is "
            "on the list while at least one enabled rule fires. Each item shows which rules (name and version) "
            "fired on which signals (tracking code, date, source, category)."
        ),
        "not_used": (
            "Not used: name, date of birth, address or postcode (a postcode is never a reason), neighbourhood, "
            "nationality, ethnicity, religion, health or diagnosis, income or the size of a debt, a signal's "
            "free text, its urgency, or anything that could stand in for these."
        ),
        "oversight": (
            "An item changes nothing by itself (GDPR art. 22). A steward or coordinator of the owning team "
            "decides: take it up (outreach, a contact plan or a case conference) or dismiss it with a reason. A "
            "dismissed item only comes back when a new signal arrives. Every view and every decision is in the "
            "access log. The functional admin switches rules on or off and tunes them; every change gets a new "
            "version number with who and when."
        ),
        "objection": (
            "Residents can ask the municipality what is recorded about them, including attention items and who "
            "looked at them, and object or ask for correction or erasure through the municipality's privacy "
            "officer. An item never leads to a decision automatically; any decision a worker takes afterwards "
            "is open to the usual objection procedures."
        ),
        "legal_basis": "Wmo 2015 (art. 2.3.1 ff.), Municipal Debt Assistance Act (early warning), GDPR art. 6(1)(e).",
        "rules": "Rules",
        "data": "Data used",
        "on": "on",
        "off": "off",
    },
}


def default_municipality() -> Municipality | None:
    from django.conf import settings

    code = getattr(settings, "WAAKVLAM_MUNICIPALITY", "") or ""
    qs = Municipality.objects.order_by("pk")
    return (qs.filter(code=code).first() if code else None) or qs.first()


def field_label(field: str, language: str) -> str:
    labels = FIELD_LABELS["en" if language.startswith("en") else "nl"]
    fact, name = field.split(".", 1)
    return f"{labels[fact]}: {labels[name]}"


def register_entry(municipality: Municipality, *, language: str = "nl") -> dict[str, Any]:
    lang = "en" if language.startswith("en") else "nl"
    text = TEXT[lang]
    config: ActiveConfiguration = configuration_for(municipality.pk)
    return {
        "name": text["name"],
        "organisation": f"{municipality.name} ({municipality.code})",
        "configuration_version": config.version,
        "configuration_changed_at": config.created_at.isoformat() if config.created_at else None,
        "configuration_changed_by": config.created_by_label or None,
        "purpose": text["purpose"],
        "method": text["method"],
        "rules": [
            {
                "name": s.rule.name,
                "version": s.rule.version,
                "title": s.rule.title(lang),
                "enabled": s.enabled,
                "description": s.rule.describe(lang, s.params),
                "parameters": s.params,
                "data_used": [field_label(f, lang) for f in sorted(s.rule.reads)],
            }
            for s in config.rules
        ],
        "data_used": [field_label(f, lang) for f in sorted(ALLOWED_FIELDS)],
        "data_not_used": text["not_used"],
        "human_oversight": text["oversight"],
        "legal_basis": text["legal_basis"],
        "responsible": f"{municipality.name} ({municipality.code})",
        "how_to_object": text["objection"],
    }


def register_markdown(entry: dict[str, Any], *, language: str = "nl") -> str:
    lang = "en" if language.startswith("en") else "nl"
    text = TEXT[lang]
    headings = {
        "nl": (
            "Organisatie",
            "Configuratie",
            "Doel",
            "Werking",
            "Niet gebruikt",
            "Menselijke tussenkomst",
            "Wettelijke grondslag",
            "Verantwoordelijk",
            "Bezwaar en inzage",
            "versie",
        ),
        "en": (
            "Organisation",
            "Configuration",
            "Purpose",
            "How it works",
            "Not used",
            "Human oversight",
            "Legal basis",
            "Responsible",
            "Objection and access",
            "version",
        ),
    }[lang]
    org, conf, purpose, method, not_used, oversight, basis, responsible, objection, version = headings
    changed = ""
    if entry["configuration_changed_at"]:
        changed = f" ({entry['configuration_changed_at'][:16].replace('T', ' ')}, {entry['configuration_changed_by']})"
    lines = [
        f"# {entry['name']}",
        "",
        f"- **{org}:** {entry['organisation']}",
        f"- **{conf}:** {version} {entry['configuration_version']}{changed}",
        "",
        f"## {purpose}",
        "",
        entry["purpose"],
        "",
        f"## {method}",
        "",
        entry["method"],
        "",
        f"## {text['rules']}",
        "",
    ]
    for rule in entry["rules"]:
        state = text["on"] if rule["enabled"] else text["off"]
        params = ", ".join(f"`{k}` = {v}" for k, v in rule["parameters"].items())
        lines += [
            f"### {rule['title']} (`{rule['name']}`, {version} {rule['version']}; {state})",
            "",
            rule["description"],
            "",
            f"- {params}",
            f"- {text['data']}: {'; '.join(rule['data_used'])}",
            "",
        ]
    lines += [f"## {text['data']}", ""]
    lines += [f"- {field}" for field in entry["data_used"]]
    lines += [
        "",
        f"## {not_used}",
        "",
        entry["data_not_used"],
        "",
        f"## {oversight}",
        "",
        entry["human_oversight"],
        "",
        f"## {basis}",
        "",
        entry["legal_basis"],
        "",
        f"## {responsible}",
        "",
        entry["responsible"],
        "",
        f"## {objection}",
        "",
        entry["how_to_object"],
        "",
    ]
    return "\n".join(lines)
