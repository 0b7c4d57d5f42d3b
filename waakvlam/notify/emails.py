"""The e-mails Waakvlam sends, in Dutch. Mail is less safe than the app, so it carries what the
notification says and a link, never more; the details stay behind the login."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from waakvlam.core.i18n import dutch_path
from waakvlam.notify.models import Notification

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# A digest lists this many notifications; the rest are counted and wait in the app.
DIGEST_LISTED = 50

FOOTER = "Dit is een automatisch bericht van Waakvlam; je kunt er niet op antwoorden."


def base_url() -> str:
    return str(getattr(settings, "WAAKVLAM_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")


def absolute_link(link: str) -> str:
    """A path inside Waakvlam becomes a full address; an http(s) address stays as it is."""
    if link.startswith("/"):
        return f"{base_url()}{link}"
    return link


def inbox_url() -> str:
    return absolute_link(dutch_path("notify:list"))


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def _message(subject: str, body: str, to: str, connection: BaseEmailBackend, ref: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        # Auto-Submitted keeps out-of-office replies away; the reference ties a bounce to its outbox row.
        headers={"Auto-Submitted": "auto-generated", "X-Waakvlam-Notification": ref},
    )


def immediate_message(row: Notification, to: str, connection: BaseEmailBackend) -> EmailMessage:
    prefix = "Waakvlam (urgent)" if row.urgent else "Waakvlam"
    lines = [row.body.strip()] if row.body.strip() else []
    if row.link:
        lines += ["", f"Bekijk het in Waakvlam: {absolute_link(row.link)}"]
    lines += ["", "-- ", FOOTER]
    return _message(f"{prefix}: {row.subject}", "\n".join(lines), to, connection, f"n{row.pk}")


def digest_message(
    rows: Sequence[Notification], to: str, now: datetime, connection: BaseEmailBackend, name: str = ""
) -> EmailMessage:
    """One mail listing a recipient's digest notifications, oldest first."""
    count = len(rows)
    day = _local(now).strftime("%d-%m-%Y")
    noun = "bericht" if count == 1 else "berichten"
    greeting = f"Goedemorgen {name}," if name else "Goedemorgen,"
    lines = [greeting, "", f"Er {'is' if count == 1 else 'zijn'} {count} nieuwe {noun} voor je in Waakvlam:", ""]
    for row in rows[:DIGEST_LISTED]:
        urgent = " (urgent)" if row.urgent else ""
        lines.append(f"- {_local(row.created_at).strftime('%d-%m %H:%M')}{urgent}: {row.subject}")
        if row.link:
            lines.append(f"  {absolute_link(row.link)}")
    if count > DIGEST_LISTED:
        lines.append(f"- en nog {count - DIGEST_LISTED} andere")
    lines += ["", f"Al je berichten: {inbox_url()}", "", "-- ", FOOTER]
    subject = f"Waakvlam: dagoverzicht {day} ({count} {noun})"
    return _message(subject, "\n".join(lines), to, connection, f"digest-n{rows[0].pk}+{count - 1}")
