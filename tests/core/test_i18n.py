"""The UI is Dutch by default and fully English under /en/: every string translated, the .mo up to date."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
HOW_TO_FIX = "run scripts/i18n.sh, translate the entries it reports, and run it again"


@dataclass
class PoEntry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _parse_po(path: Path) -> list[PoEntry]:
    """A small reader for .po files as makemessages writes them (entries separated by blank lines), so
    the check needs no gettext tools on the machine that runs the tests."""
    entries: list[PoEntry] = []
    line_number = 0
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = PoEntry(line=line_number + 1)
        target = ""
        for offset, raw in enumerate(block.splitlines()):
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                _append(entry, target, ast.literal_eval(line))
            else:
                target, _, value = line.partition(" ")
                assert target in {"msgctxt", "msgid", "msgid_plural", "msgstr"} or target.startswith("msgstr["), (
                    f"{path}:{line_number + offset + 1}: unknown keyword {target!r}"
                )
                _append(entry, target, ast.literal_eval(value))
        line_number += block.count("\n") + 2
        if (entry.msgstr or entry.msgid) and not entry.obsolete:
            entries.append(entry)
    return entries


def _append(entry: PoEntry, target: str, text: str) -> None:
    if target.startswith("msgstr"):
        index = int(target[7:-1]) if target.startswith("msgstr[") else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif target == "msgid":
        entry.msgid += text
    elif target == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    assert PO_FILE.is_file(), f"{PO_FILE} is missing; {HOW_TO_FIX}"
    entries = _parse_po(PO_FILE)
    assert entries and entries[0].msgid == "", "the .po file has no header entry"
    return entries


ALL_PO_FILES = sorted((Path(__file__).resolve().parents[2] / "waakvlam").rglob("locale/en/LC_MESSAGES/django.po"))


def test_every_apps_po_file_is_translated_and_not_fuzzy() -> None:
    """Not only the main catalogue: each app's own .po (cases, contact, …) has no empty or fuzzy entry."""
    assert len(ALL_PO_FILES) >= 5, ALL_PO_FILES
    problems = []
    for path in ALL_PO_FILES:
        for e in _parse_po(path)[1:]:
            if not e.msgstr or any(not text for text in e.msgstr.values()):
                problems.append(f"{path}:{e.line}: untranslated {e.msgid!r}")
            if "fuzzy" in e.flags:
                problems.append(f"{path}:{e.line}: fuzzy {e.msgid!r}")
    assert not problems, f"{len(problems)} entries to translate ({HOW_TO_FIX}):\n" + "\n".join(problems)


# One glossary (docs: /work/shared/PRODUCT.md): the steward is "waakvlammer", never another word; a
# notification is a "bericht", since "melding" means a signal. Checked in every template and .po.
BANNED_DUTCH = ("buurtwerker", "wijkwerker", "meldingen aan medewerkers", "ongelezen melding")
BANNED_ENGLISH = ("pilot-light worker", "outreach worker", "neighbourhood worker")


def test_one_glossary_in_templates_and_translations() -> None:
    found = []
    for template in sorted((Path(__file__).resolve().parents[2] / "waakvlam").rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8").lower()
        found += [f"{template}: {word!r}" for word in BANNED_DUTCH if re.search(rf"\b{word}", text)]
    for path in ALL_PO_FILES:
        for e in _parse_po(path)[1:]:
            source, english = e.msgid.lower(), " ".join(e.msgstr.values()).lower()
            found += [f"{path}:{e.line}: {word!r}" for word in BANNED_DUTCH if re.search(rf"\b{word}", source)]
            found += [f"{path}:{e.line}: {word!r}" for word in BANNED_ENGLISH if word in english]
    assert not found, "a word outside the glossary:\n" + "\n".join(found)


# One status vocabulary and one word per urgency level (docs/glossary.md). The old synonyms as a status or
# badge on their own ("Toegewezen", "Afgerond", "Hoog"), and the urgency words that are not the level's one
# word, anywhere; an English status word that is not the glossary's ("Taken up", "Completed").
BANNED_STATUS_MSGIDS = ("Toegewezen", "toegewezen", "Afgerond", "afgerond", "Afgerond.", "Hoog", "Dringend", "urgent")
BANNED_STATUS_DUTCH = ("vandaag nog (", "dringend", "overdracht afronden", "hoge urgentie")
BANNED_STATUS_ENGLISH = {"Opgepakt": "Picked up", "Afgesloten": "Closed", "Ontvangen": "Received", "Urgent": "Urgent"}
# Notifications ("berichten") are never "meldingen": a melding is a signal, in Dutch and in its English.
NOT_A_NOTIFICATION = re.compile(r"\bmelding", re.IGNORECASE)


def test_one_status_vocabulary() -> None:
    found = []
    for template in sorted((Path(__file__).resolve().parents[2] / "waakvlam").rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        found += [f"{template}: {word!r}" for word in BANNED_STATUS_DUTCH if word in text.lower()]
        found += [
            f"{template}: {{% translate {word!r} %}}"
            for word in BANNED_STATUS_MSGIDS
            if f'{{% translate "{word}" %}}' in text
        ]
    for path in ALL_PO_FILES:
        for e in _parse_po(path)[1:]:
            english = " ".join(e.msgstr.values())
            if e.msgid in BANNED_STATUS_MSGIDS and e.msgid not in ("hoog",):
                found.append(f"{path}:{e.line}: status word {e.msgid!r}")
            found += [f"{path}:{e.line}: {word!r}" for word in BANNED_STATUS_DUTCH if word in e.msgid.lower()]
            if e.msgid in BANNED_STATUS_ENGLISH and english != BANNED_STATUS_ENGLISH[e.msgid]:
                found.append(f"{path}:{e.line}: {e.msgid!r} is {BANNED_STATUS_ENGLISH[e.msgid]!r}, not {english!r}")
            if NOT_A_NOTIFICATION.search(e.msgid) and "notification" in english.lower():
                found.append(f"{path}:{e.line}: a melding is a signal, not a notification: {e.msgid!r}")
    assert not found, "a status or urgency word outside the glossary (docs/glossary.md):\n" + "\n".join(found)


@pytest.mark.django_db
def test_english_login_page_is_english() -> None:
    page = Client().get("/en/inloggen/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in to Waakvlam" in page
    assert ">Log in</button>" in page
    assert "Username" in page and "Password" in page
    assert "Inloggen" not in page


@pytest.mark.django_db
def test_dutch_is_the_default() -> None:
    page = Client().get("/inloggen/").content.decode()
    assert '<html lang="nl">' in page
    assert "Inloggen bij Waakvlam" in page


def test_po_file_has_a_proper_header(po_entries: list[PoEntry]) -> None:
    header = po_entries[0]
    assert "fuzzy" not in header.flags, "the header is still marked fuzzy"
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_every_string_is_translated(po_entries: list[PoEntry]) -> None:
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in po_entries[1:]
        if not e.msgstr or any(not text for text in e.msgstr.values())
    ]
    assert not untranslated, f"{len(untranslated)} untranslated entries ({HOW_TO_FIX}):\n" + "\n".join(untranslated)


def test_no_fuzzy_translations(po_entries: list[PoEntry]) -> None:
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in po_entries[1:] if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: check the translation and drop the flag:\n" + "\n".join(fuzzy)


def test_placeholders_survive_translation(po_entries: list[PoEntry]) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    wrong = []
    for e in po_entries[1:]:
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if sorted(set(placeholder.findall(source))) != sorted(set(placeholder.findall(text))):
                wrong.append(f"line {e.line}: {source!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_mo_file_is_compiled_from_the_current_po(po_entries: list[PoEntry]) -> None:
    """The .mo is never older than the .po: it holds exactly the .po's translations.

    Compared by content rather than by file time, because a git checkout gives both files arbitrary times.
    """
    assert MO_FILE.is_file(), f"{MO_FILE} is missing; {HOW_TO_FIX}"
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in po_entries[1:]:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[key] = e.msgstr.get(0, "")
        else:
            for index, text in e.msgstr.items():
                expected[(key, index)] = text
    compiled = {key: value for key, value in catalog.items() if key != ""}
    stale = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not (stale or extra or changed), (
        f"django.mo does not match django.po ({HOW_TO_FIX}): missing {stale[:5]}, extra {extra[:5]}, "
        f"changed {changed[:5]}"
    )
