"""Every notification the code sends, not only the escalations, exists in Dutch and English.

Three checks: the code sends no kind the catalogue does not know (read from the source, so a new sender
without registered texts fails here); every registered kind's lines have English with the same
placeholders and really show in English; and texts written by real senders are catalogue lines that a
reader of /en/ gets in English."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import get_resolver
from django.utils import timezone, translation
from django.utils.translation import trans_real

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality
from waakvlam.intake.services import announcement
from waakvlam.intake.tracking import TRACKING_MOMENTS, tracking_moment_notify
from waakvlam.notify.catalogue import match, registered_kinds, translated
from waakvlam.notify.models import Notification

SOURCE = Path(__file__).resolve().parents[2] / "waakvlam"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SENDERS = {"notification_enqueue", "notification_rows", "NotificationMessage"}
# The follow-up clock sends each registered follow-up kind's own kind; test_catalogue.py walks those.
NON_LITERAL_ALLOWED = {"followup/sweep.py"}


def _kinds_in(node: ast.expr) -> list[str] | None:
    """The kinds a `kind=` expression can take: a literal, a choice of literals, or an f-string's shape."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [re.escape(node.value)]
    if isinstance(node, ast.IfExp):
        body, orelse = _kinds_in(node.body), _kinds_in(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.JoinedStr):
        return ["".join(re.escape(str(v.value)) if isinstance(v, ast.Constant) else r"\w+" for v in node.values)]
    return None


def _sent_kinds() -> tuple[dict[str, str], list[str]]:
    """kind pattern -> where it is sent; and the places whose kind is not a literal."""
    sent: dict[str, str] = {}
    unknown: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith("notify/services.py") or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses_sender = any(
            # A module that builds a notification's arguments for another to send (intake/announcement.py)
            # imports the catalogue rather than the sender.
            isinstance(n, ast.ImportFrom) and n.module in {"waakvlam.notify.services", "waakvlam.notify.catalogue"}
            for n in ast.walk(tree)
        )
        if not uses_sender:
            continue
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in SENDERS:
                values = [k.value for k in node.keywords if k.arg == "kind"]
            elif isinstance(node, ast.Dict):
                values = [
                    v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == "kind"
                ]
            for value in values:
                kinds = _kinds_in(value)
                if kinds is None:
                    if relative not in NON_LITERAL_ALLOWED:
                        unknown.append(f"{relative}:{value.lineno}")
                    continue
                for kind in kinds:
                    sent[kind] = f"{relative}:{value.lineno}"
    return sent, unknown


def test_every_kind_the_code_sends_is_in_the_catalogue() -> None:
    # What a web process has loaded when it shows the inbox: the apps and every view.
    get_resolver().url_patterns  # noqa: B018
    sent, unknown = _sent_kinds()
    assert len(sent) >= 14, sent
    assert not unknown, "a notification kind that is not a literal (the catalogue cannot check it):\n" + "\n".join(
        unknown
    )
    known = set(registered_kinds())
    missing = [f"{where}: {kind}" for kind, where in sent.items() if not any(re.fullmatch(kind, k) for k in known)]
    assert not missing, "sent but without registered texts (notify.catalogue.register_kind):\n" + "\n".join(missing)


def _sample(msgid: str) -> str:
    return msgid % dict.fromkeys(PLACEHOLDER.findall(msgid), "7")


def test_every_registered_kind_has_english() -> None:
    kinds = registered_kinds()
    assert {"case_invited", "signal_transferred", "handover_accepted", "tracking_closed"} <= set(kinds)
    missing, wrong, still_dutch = [], [], []
    with translation.override("en"):
        catalog = trans_real.catalog()._catalog  # type: ignore[attr-defined]
        for kind, msgids in kinds.items():
            for msgid in msgids:
                english = catalog.get(msgid)
                if not english:
                    missing.append(f"{kind}: {msgid!r}")
                elif sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(msgid)):
                    wrong.append(f"{kind}: {msgid!r} -> {english!r}")
                elif english != msgid and translated(_sample(msgid)) == _sample(msgid):
                    still_dutch.append(f"{kind}: {msgid!r}")
    assert not missing, "no English in the .mo for:\n" + "\n".join(missing)
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)
    assert not still_dutch, "shown in Dutch at /en/:\n" + "\n".join(still_dutch)


def _pattern(msgid: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(msgid)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else ".+?" for i, p in enumerate(parts)), re.DOTALL)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.mark.django_db
def test_written_notifications_show_in_english(town: Municipality) -> None:
    now = timezone.now()
    urgent = signal_for(team("Waakvlam West"), urgency="high", reporter_email="melder@example.org")
    normal = signal_for(team("Waakvlam West"), due_at=now + timedelta(days=3))
    written = [announcement(urgent, now), announcement(normal, now)]
    for moment in TRACKING_MOMENTS:
        tracking_moment_notify(signal=urgent, moment=moment, now=now)
    stored = list(Notification.objects.filter(kind__startswith="tracking_"))
    assert len(stored) == len(TRACKING_MOMENTS)
    texts = [(w["kind"], w["subject"], w["body"]) for w in written] + [(n.kind, n.subject, n.body) for n in stored]
    for kind, subject, body in texts:
        lines = _lines(subject) + _lines(body)
        unknown = [line for line in lines if match(line) is None]
        assert not unknown, f"{kind}: not in the catalogue: {unknown}"
        own = [_pattern(msgid) for msgid in registered_kinds()[kind]]
        assert all(any(p.fullmatch(line) for p in own) for line in lines), f"{kind}: a line of another kind"
        with translation.override("en"):
            english = translated(f"{subject}\n{body}")
        assert "signaal" not in english.lower() and "melding" not in english.lower(), english
    with translation.override("en"):
        assert translated(written[0]["subject"]).startswith("Urgent signal: ")
        assert "Urgency: Urgent" in translated(written[0]["body"])
