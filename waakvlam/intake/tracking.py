"""What a public reporter sees of their signal: the tracking page's three moments (received, picked up,
closed) and the e-mail at each. Apart from services.py so that routing, which moves a signal on, can
tell the reporter without importing intake's creation path (which itself imports routing).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_noop

from waakvlam.core.i18n import dutch_path
from waakvlam.intake.models import Signal
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue

TRACKING_MOMENTS = ("received", "picked_up", "closed")

_LINES = (
    gettext_noop("Volgcode: %(code)s"),
    gettext_noop("Bekijk de stand van zaken: %(url)s"),
    gettext_noop("Dit bericht is automatisch verstuurd; je kunt er niet op antwoorden."),
)
# moment: (subject, first line of the body); written in Dutch, shown in the reader's language
# (notify/catalogue.py) — the reporter reads them by e-mail, in Dutch.
_MOMENT_TEXT = {
    moment: register_kind(f"tracking_{moment}", subject, line, *_LINES)[:2]
    for moment, subject, line in (
        (
            "received",
            gettext_noop("Waakvlam: je melding is ontvangen (%(code)s)"),
            gettext_noop("Je melding is ontvangen."),
        ),
        (
            "picked_up",
            gettext_noop("Waakvlam: je melding is opgepakt (%(code)s)"),
            gettext_noop("Je melding is opgepakt."),
        ),
        (
            "closed",
            gettext_noop("Waakvlam: je melding is afgesloten (%(code)s)"),
            gettext_noop("Je melding is afgesloten."),
        ),
    )
}
_CODE, _LOOK, _AUTOMATIC = _LINES


def tracking_path(tracking_code: str) -> str:
    """The public tracking page of one code (Dutch UI, no language prefix)."""
    return dutch_path("intake:track_detail", code=tracking_code)


def tracking_url(tracking_code: str) -> str:
    base = str(settings.WAAKVLAM_BASE_URL)
    return base + tracking_path(tracking_code)


def tracking_moment_notify(*, signal: Signal, moment: str, now: datetime) -> None:
    """E-mail a public reporter who left an address at the three moments: received, picked up, closed.

    The text holds only the status and the tracking link: never the owner, the description or the outcome.
    Does nothing for signals without a reporter e-mail address. A repeated moment queues nothing new."""
    if moment not in TRACKING_MOMENTS:
        raise ValueError(f"Unknown tracking moment {moment!r}; use one of {', '.join(TRACKING_MOMENTS)}.")
    email = signal.reporter_email or ""
    if not email:
        return
    url = tracking_url(signal.tracking_code)
    subject, first = _MOMENT_TEXT[moment]
    body = f"{first}\n\n{_CODE % {'code': signal.tracking_code}}\n{_LOOK % {'url': url}}\n\n{_AUTOMATIC}"
    notification_enqueue(
        municipality_id=signal.municipality_id,
        kind=f"tracking_{moment}",
        subject=subject % {"code": signal.tracking_code},
        body=body,
        dedupe_key=f"track:{signal.pk}:{moment}",
        now=now,
        email=email,
        link=tracking_path(signal.tracking_code),
    )


def tracking_status(signal: Signal) -> str:
    """What the public tracking shows: received, picked_up or closed, nothing more."""
    return tracking_moment(signal)[0]


def tracking_moment(signal: Signal) -> tuple[str, datetime]:
    """The reporter's step and when it was reached. A transfer makes the new owner pick the signal up
    again (routing restarts the clock), but the reporter never sees a step go backwards."""
    if signal.status == "closed":
        return "closed", signal.closed_at or signal.updated_at
    if signal.picked_up_at is not None:
        return "picked_up", signal.picked_up_at
    first_claim = signal.events.filter(kind="claimed").order_by("at").values_list("at", flat=True).first()
    if first_claim is not None:
        return "picked_up", first_claim
    return "received", signal.received_at
