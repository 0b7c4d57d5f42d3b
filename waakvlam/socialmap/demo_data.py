"""The fixed shape of Demodorp's social map: the needs, the organisations and the kinds of offer."""

from __future__ import annotations

from dataclasses import dataclass

# code, name (the taxonomy of needs)
NEEDS = [
    ("ontmoeting", "Mensen ontmoeten"),
    ("dagbesteding", "Dagbesteding en werk"),
    ("geld", "Geldzaken"),
    ("wonen", "Wonen"),
    ("gezondheid", "Gezondheid"),
    ("psychisch", "Psychische gezondheid"),
    ("verslaving", "Verslaving"),
    ("opvoeden", "Opvoeden"),
    ("praktisch", "Praktische hulp"),
    ("informeel", "Informele hulp"),
]

# key, name, tenant slug ("" = none), resident initiative
ORGANISATIONS = [
    ("buurtkamer", "Buurtkamer De Molen", "buurtkamer", True),
    ("buurtwerk", "Buurtwerk Demodorp", "buurtwerk", False),
    ("wijkteam", "Sociaal Wijkteam Demodorp", "wijkteam", False),
    ("ggz", "GGZ Kompas", "ggz-kompas", False),
    ("schuldhulp", "Schuldhulp Demodorp", "schuldhulp", False),
    ("woonstede", "Woonstede Bewonerszaken", "woonstede", False),
    ("voedselbank", "Voedselbank Demodorp", "", False),
    ("humanitas", "Humanitas Demodorp", "", False),
    ("repair", "Repair Café Demodorp", "", True),
    ("moestuin", "Buurtmoestuin Het Veld", "", True),
    ("wandel", "Wandelclub De Zonnehoek", "", True),
    ("bieb", "Bibliotheek Demodorp", "", False),
    ("taalcafe", "Taalcafé Demodorp", "", True),
    ("lotgenoten", "Stichting Lotgenoten", "", False),
    ("herstel", "Herstelacademie Demodorp", "", False),
    ("sport", "Sportief Demodorp", "", False),
    ("diaconie", "Diaconie Kerk en Buurt", "", False),
    ("buurtbuik", "De Buurtbuik", "", True),
    ("linde", "Zorgcentrum De Linde", "", False),
    ("werkplaats", "Werkplaats De Haven", "", False),
    ("mantelzorg", "Mantelzorgpunt Demodorp", "", False),
    ("opvoedpunt", "Opvoedpunt Demodorp", "", False),
    ("verslaving", "Inloop Verslavingszorg Kompas", "", False),
]


@dataclass(frozen=True)
class Offer:
    organisation: str
    name: str
    need: str
    collective: bool
    access: str  # walk_in, sign_up, referral
    free: bool
    days: str  # "TU" or "MO,TH"
    opens: int  # hour
    hours: int
    capacity: int | None = None
    description: str = ""


OFFERS = [
    Offer(
        "buurtkamer",
        "Koffieochtend",
        "ontmoeting",
        True,
        "walk_in",
        True,
        "TU",
        10,
        2,
        20,
        "Koffie, thee en een praatje. Iedereen is welkom.",
    ),
    Offer(
        "buurtkamer",
        "Samen eten",
        "ontmoeting",
        True,
        "sign_up",
        True,
        "TH",
        17,
        2,
        16,
        "Elke donderdag koken en eten we samen.",
    ),
    Offer(
        "buurtkamer",
        "Spelletjesmiddag",
        "ontmoeting",
        True,
        "walk_in",
        True,
        "FR",
        14,
        3,
        None,
        "Sjoelen, klaverjassen, rummikub.",
    ),
    Offer("buurtwerk", "Inloopspreekuur buurtwerk", "praktisch", False, "walk_in", True, "MO,WE", 9, 3),
    Offer(
        "buurtwerk",
        "Maatjesproject",
        "informeel",
        False,
        "referral",
        True,
        "WE",
        10,
        2,
        12,
        "Een vrijwilliger die regelmatig langskomt.",
    ),
    Offer("wijkteam", "Spreekuur wijkteam", "praktisch", False, "walk_in", True, "TU", 13, 3),
    Offer(
        "ggz",
        "Inloop GGZ",
        "psychisch",
        True,
        "walk_in",
        True,
        "WE",
        13,
        3,
        None,
        "Binnenlopen zonder afspraak, met een kop koffie.",
    ),
    Offer("ggz", "Herstelgroep", "psychisch", True, "referral", True, "MO", 10, 2, 10),
    Offer(
        "schuldhulp",
        "Budgetcafé",
        "geld",
        True,
        "walk_in",
        True,
        "TU",
        19,
        2,
        None,
        "Samen je post en je geld op orde.",
    ),
    Offer("schuldhulp", "Budgetcoach", "geld", False, "sign_up", True, "MO,TH", 9, 4, 8),
    Offer("woonstede", "Spreekuur huurders", "wonen", False, "walk_in", True, "TH", 10, 2),
    Offer("voedselbank", "Voedselbank uitgifte", "geld", False, "referral", True, "FR", 13, 3, 60),
    Offer("humanitas", "Thuisadministratie", "geld", False, "sign_up", True, "WE", 10, 2, 10),
    Offer("humanitas", "Rouwgroep", "psychisch", True, "sign_up", True, "TU", 14, 2, 8),
    Offer(
        "repair", "Repair Café", "praktisch", True, "walk_in", True, "SA", 10, 3, None, "Samen repareren wat kapot is."
    ),
    Offer("moestuin", "Tuinieren in de buurtmoestuin", "dagbesteding", True, "walk_in", True, "TU,SA", 9, 3, 15),
    Offer(
        "wandel",
        "Wandelen met de buurt",
        "ontmoeting",
        True,
        "walk_in",
        True,
        "TU",
        10,
        1,
        None,
        "Elke week een uur wandelen, rustig tempo.",
    ),
    Offer("bieb", "Digicafé", "praktisch", True, "walk_in", True, "WE", 14, 2),
    Offer("bieb", "Leesclub", "ontmoeting", True, "sign_up", True, "TH", 19, 2, 12),
    Offer("taalcafe", "Taalcafé", "ontmoeting", True, "walk_in", True, "MO", 19, 2),
    Offer("lotgenoten", "Lotgenotengroep eenzaamheid", "psychisch", True, "sign_up", True, "WE", 19, 2, 10),
    Offer("herstel", "Cursus Herstellen doe je zelf", "psychisch", True, "sign_up", False, "TH", 10, 2, 12),
    Offer("sport", "Bewegen voor ouderen", "gezondheid", True, "walk_in", False, "TU", 9, 1, 20),
    Offer("sport", "Wandelvoetbal", "gezondheid", True, "walk_in", True, "FR", 10, 1, 22),
    Offer("diaconie", "Open tafel", "ontmoeting", True, "walk_in", True, "SU", 12, 2, 30),
    Offer("buurtbuik", "Buurtbuik maaltijd", "ontmoeting", True, "sign_up", False, "WE", 17, 2, 25),
    Offer("linde", "Dagbesteding De Linde", "dagbesteding", True, "referral", False, "MO,TU,WE,TH,FR", 9, 6, 14),
    Offer("werkplaats", "Werkplaats hout en fiets", "dagbesteding", True, "referral", True, "MO,WE,FR", 9, 5, 12),
    Offer("mantelzorg", "Mantelzorgcafé", "informeel", True, "walk_in", True, "TH", 14, 2),
    Offer("opvoedpunt", "Opvoedspreekuur", "opvoeden", False, "walk_in", True, "WE", 9, 2),
    Offer("opvoedpunt", "Koffie voor ouders", "opvoeden", True, "walk_in", True, "FR", 9, 2),
    Offer("verslaving", "Inloop verslaving", "verslaving", False, "walk_in", True, "TU,TH", 13, 3),
]
