"""Every generated notification and escalation text, in Dutch and English.

Every notification is written once, in Dutch (escalations once per sweep), for e-mail and the in-app
inbox alike (the e-mail goes out in Dutch whatever the reader chose). A reader of the English interface should not get Dutch: each app
that writes such texts registers the lines it writes as patterns (`%(name)s` for what varies), marked with
gettext_noop so they land in the .po file; at read time a stored line that matches a pattern is shown in
the reader's language, with its values translated too where they are themselves known texts (a category,
a ladder step). A line that matches nothing is shown as stored. tests/notify/test_catalogue.py walks the
catalogue (every pattern has an English translation with the same placeholders) and runs every kind's
sweep to prove that each line it writes is in the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import get_language, gettext, gettext_noop

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_PATTERNS: dict[str, re.Pattern[str]] = {}
_VALUES: set[str] = set()
# Notification kind -> the lines its subject and body are written from (register_kind).
_KINDS: dict[str, tuple[str, ...]] = {}


# Placeholders that only ever hold a number, so "Warme overdracht %(n)s" cannot swallow other words.
_NUMBERS = frozenset({"n", "level", "late"})


def _group(name: str) -> str:
    return f"(?P<{name}>-?\\d+)" if name in _NUMBERS else f"(?P<{name}>.+?)"


def _compile(msgid: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(msgid)
    # split() alternates literal text and placeholder names: literal, name, literal, name, …, literal.
    # A name used twice ("in %(days)s dagen … %(days)s dagen") matches the same text again.
    regex, seen = "", set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            regex += f"(?P={part})" if part in seen else _group(part)
            seen.add(part)
    return re.compile(regex, re.DOTALL)


def register_texts(*msgids: str) -> tuple[str, ...]:
    """Lines (or whole texts) an app writes into notifications or histories; call with gettext_noop()s."""
    for msgid in msgids:
        if msgid not in _PATTERNS:
            _PATTERNS[msgid] = _compile(msgid)
    return msgids


def register_values(*msgids: str) -> tuple[str, ...]:
    """Fixed words that appear as a value inside a line (a ladder step's note): translated as a whole."""
    _VALUES.update(msgids)
    return msgids


def register_kind(kind: str, *msgids: str) -> tuple[str, ...]:
    """The lines one notification kind is written from (its subject first); the sender formats these very
    constants (`SUBJECT % {...}`), so what it writes is what the catalogue knows. A kind can be registered
    from several places (a renderer adds the lines it shows); tests/notify/test_catalogue.py proves every
    kind the code sends is registered and has English."""
    _KINDS[kind] = tuple(dict.fromkeys((*_KINDS.get(kind, ()), *msgids)))
    return register_texts(*msgids)


def registered_kinds() -> dict[str, tuple[str, ...]]:
    return dict(_KINDS)


def registered_texts() -> list[str]:
    return sorted(_PATTERNS)


def registered_values() -> list[str]:
    return sorted(_VALUES)


def match(line: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue pattern a Dutch line was written from, with its values; None for an unknown line."""
    # Longest pattern first, so "Escalatieniveau: %(level)s; …" wins over a shorter one that also fits.
    for msgid, pattern in sorted(_PATTERNS.items(), key=lambda item: -len(item[0])):
        found = pattern.fullmatch(line)
        if found:
            return msgid, found.groupdict()
    return None


def translate_line(line: str) -> str:
    if not line.strip():
        return line
    if line in _VALUES:
        return gettext(line)
    found = match(line)
    if found is None:
        # A known word on its own (a category's label) is in the .po already; anything else stays as is.
        return gettext(line)
    msgid, values = found
    return gettext(msgid) % {name: translate_line(value) for name, value in values.items()}


def translated(text: str) -> str:
    """A stored Dutch text in the active language: line by line, unchanged in Dutch."""
    if not text or (get_language() or "nl").startswith("nl"):
        return text
    return "\n".join(translate_line(line) for line in text.split("\n"))


def translated_all(texts: Iterable[str]) -> list[str]:
    return [translated(text) for text in texts]


# Lines the follow-up clock itself writes around each kind's own texts: a summary's list, and the step
# recorded in an item's history ("Niveau 2: gemeente ingeschakeld.").
FOLLOWUP_TEXTS = register_texts(
    gettext_noop("- %(ref)s"),
    gettext_noop("… en nog %(n)s"),
    gettext_noop("Niveau %(level)s: %(note)s."),
)
