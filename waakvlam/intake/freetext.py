"""Checking free text for third parties' personal data: names, phone numbers, BSNs, e-mail addresses.

We use `deduce`, the Dutch de-identification library, but only its name, BSN, phone, e-mail and URL
annotators. Its full set also looks up 770,000 street names and 244,000 care institutions: loading that
takes 6-10 s per process (88 s on the first run after installing, when it builds a 79 MB cache in
site-packages) and 1.1 GB of memory. The slim set used here builds in about 1 s (0.7-2.3 s measured on a
busy 2-core machine) from deduce's own source lists, needs no cache file and keeps the process near
110 MB; a description's address is asked for in its own fields anyway. The detector is built lazily, once
per process, on first use (`warm_up()` builds it ahead of time); a check then costs 0.3-0.6 ms for a few
sentences and about 13 ms for the maximum of 5,000 characters. It is safe to share between threads.

When deduce cannot be imported (or fails to initialise), a small regex detector takes over with the same
interface: Dutch phone numbers, BSNs that pass the eleven test (python-stdnum), e-mail addresses, and
capitalised words after a title or a word like "buurman".
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as nl_bsn

logger = logging.getLogger(__name__)

# What kinds of personal data we flag, and how the masked text and the warnings call them.
KIND_LABELS = {
    "name": _("een naam"),
    "phone": _("een telefoonnummer"),
    "bsn": _("een burgerservicenummer (BSN)"),
    "email": _("een e-mailadres"),
}
MASK = {"name": "[naam]", "phone": "[telefoonnummer]", "bsn": "[BSN]", "email": "[e-mailadres]"}

_DEDUCE_TAGS = {
    "persoon": "name",
    "patient": "name",
    "telefoonnummer": "phone",
    "bsn": "bsn",
    "emailadres": "email",
    "email": "email",
}
# deduce annotators we use; the rest (locations, institutions, dates, ages) are left out on purpose.
_KEEP_GROUPS = {"names", "identifiers", "phone_numbers", "email_addresses"}
_DROP_ANNOTATORS = {"patient_name", "identifier"}
_NAME_LISTS = [
    "names/lst_first_name",
    "names/lst_initial",
    "names/lst_interfix",
    "names/lst_interfix_surname",
    "names/lst_prefix",
    "names/lst_surname",
    "whitelist/lst_common_word",
    "whitelist/lst_eponymous_disease",
    "whitelist/lst_medical_term",
    "whitelist/lst_stop_word",
]


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KIND_LABELS
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class FreeTextCheck:
    findings: tuple[Finding, ...]
    masked: str

    @property
    def kinds(self) -> list[str]:
        """The kinds found, in a fixed order, each once."""
        found = {f.kind for f in self.findings}
        return [kind for kind in KIND_LABELS if kind in found]

    def warnings(self) -> list[str]:
        return privacy_warnings(self.kinds)


def privacy_warnings(kinds: list[str]) -> list[str]:
    """One Dutch sentence per kind found; shown to the reporter, never repeating what was found."""
    return [
        str(_("De beschrijving lijkt %(what)s te bevatten. Anderen dan het behandelende team zien die niet."))
        % {"what": KIND_LABELS[kind]}
        for kind in KIND_LABELS
        if kind in kinds
    ]


class Detector(Protocol):
    def find(self, text: str) -> list[Finding]: ...


class DeduceDetector:
    """deduce with only the annotators we need, and its lookup structures built for those alone."""

    def __init__(self) -> None:
        import docdeid as dd
        from deduce import Deduce
        from deduce.deduce import _LOOKUP_LIST_PATH, _DeduceProcessorLoader
        from deduce.lookup_struct_loader import (
            load_eponymous_disease_lookup,
            load_first_name_lookup,
            load_interfix_lookup,
            load_prefix_lookup,
            load_surname_lookup,
            load_whitelist_lookup,
        )
        from deduce.lookup_structs import load_raw_itemsets

        config = dict(Deduce._initialize_config(load_base_config=True))
        config["annotators"] = {
            name: info
            for name, info in config["annotators"].items()
            if info.get("group") in _KEEP_GROUPS and name not in _DROP_ANNOTATORS
        }
        tokenizer = Deduce._initialize_tokenizer(_LOOKUP_LIST_PATH)
        raw = load_raw_itemsets(base_path=_LOOKUP_LIST_PATH, subdirs=_NAME_LISTS)
        structs = dd.ds.DsCollection()
        for name in ("initial", "interfix_surname", "common_word", "medical_term", "stop_word"):
            lookup_set = dd.ds.LookupSet()
            lookup_set.add_items_from_iterable(raw[name])
            structs[name] = lookup_set
        structs["prefix"] = load_prefix_lookup(raw)
        structs["interfix"] = load_interfix_lookup(raw)
        structs["whitelist"] = load_whitelist_lookup(raw)
        structs["first_name"] = load_first_name_lookup(raw, tokenizer)
        structs["surname"] = load_surname_lookup(raw, tokenizer)
        structs["eponymous_disease"] = load_eponymous_disease_lookup(raw, tokenizer)

        # A Deduce object without running its constructor, which would load every lookup list.
        deid: Any = Deduce.__new__(Deduce)
        dd.DocDeid.__init__(deid)
        deid.config = config
        deid.tokenizers = {"default": tokenizer}
        deid.lookup_structs = structs
        deid.processors = _DeduceProcessorLoader().load(config=config, extras={"tokenizer": tokenizer, "ds": structs})
        self._deduce = deid

    def find(self, text: str) -> list[Finding]:
        doc = self._deduce.deidentify(text)
        findings = []
        for annotation in doc.annotations:
            tag = str(annotation.tag).split("+")[0].split("-")[0]
            kind = _DEDUCE_TAGS.get(tag)
            if kind is None and "naam" in annotation.tag:
                kind = "name"
            if kind is not None:
                findings.append(Finding(kind, annotation.start_char, annotation.end_char, annotation.text))
        return findings


# Dutch numbers: 06-12345678, 06 1234 5678, +31 6 12345678, 0031 20 123 4567, 020-1234567, 0800-2000 is not
# personal (too short), and neither are 9-digit numbers that fail the eleven test.
_PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)31[\s.-]?(?:\(0\))?[\s.-]?|0)[1-9](?:[\s.-]?\d){8}(?!\d)")
_BSN_RE = re.compile(r"(?<!\d)\d{4}\.?\d{2}\.?\d{3}(?!\d)|(?<!\d)\d{9}(?!\d)")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_RE = re.compile(
    r"\b(?:[Mm]evrouw|[Mm]w\.?|[Mm]eneer|[Mm]ijnheer|[Dd]hr\.?|[Hh]eer|[Bb]uurman|[Bb]uurvrouw|[Dd]ochter|[Zz]oon|"
    r"[Vv]ader|[Mm]oeder|[Zz]us|[Bb]roer|[Hh]eet|[Hh]eten|[Nn]aam)\s+"
    r"((?:[A-Z]\.\s?)*(?:(?:van|de|der|den|ter|ten|het|'t)\s+)*[A-Z][a-zà-ÿ]+(?:[\s-][A-Z][a-zà-ÿ]+)?)"
)


class RegexDetector:
    """The fall-back when deduce is not available: the same interface, cruder rules."""

    def find(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        for match in _PHONE_RE.finditer(text):
            findings.append(Finding("phone", match.start(), match.end(), match.group()))
        for match in _BSN_RE.finditer(text):
            if nl_bsn.is_valid(match.group()):
                findings.append(Finding("bsn", match.start(), match.end(), match.group()))
        for match in _EMAIL_RE.finditer(text):
            findings.append(Finding("email", match.start(), match.end(), match.group()))
        for match in _NAME_RE.finditer(text):
            findings.append(Finding("name", match.start(1), match.end(1), match.group(1)))
        return findings


_detector: Detector | None = None
_lock = threading.Lock()


def detector() -> Detector:
    """The process's detector, built on first use."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                try:
                    _detector = DeduceDetector()
                except Exception:  # an import error or a broken install: flagging must still work
                    logger.warning("deduce is not available; free text is checked with the regex fall-back")
                    _detector = RegexDetector()
    return _detector


def warm_up() -> None:
    detector()


def _mask(text: str, findings: list[Finding]) -> str:
    """Replace each finding by its label; overlapping findings merge into one span with the first's label."""
    spans: list[list[Any]] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if spans and finding.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], finding.end)
        else:
            spans.append([finding.start, finding.end, finding.kind])
    out: list[str] = []
    cursor = 0
    for start, end, kind in spans:
        out.append(text[cursor:start])
        out.append(MASK[kind])
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def free_text_check(text: str, *, use: Detector | None = None) -> FreeTextCheck:
    """Find third parties' personal data in `text` and return the findings and a masked copy."""
    if not text.strip():
        return FreeTextCheck(findings=(), masked=text)
    found = (use or detector()).find(text)
    # deduce misses some Dutch phone formats (+31 6 1234 5678) and reads BSNs only after certain words;
    # the regex rules for numbers and e-mail addresses are cheap and precise, so they always run as well.
    if not isinstance(use or detector(), RegexDetector):
        found += [f for f in RegexDetector().find(text) if f.kind != "name"]
    found.sort(key=lambda f: (f.start, f.end))
    return FreeTextCheck(findings=tuple(found), masked=_mask(text, found))
