"""The daily digest of the access log's anchor to the privacy officers: a copy of the chain's signed head
outside the server, so even someone who controls both the database and the var directory cannot cut the
log short without the officers' mailbox showing an anchor the server no longer reaches."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_noop

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import NotificationMessage, notifications_enqueue_many
from waakvlam.privacy.anchor import anchor_latest

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
ANCHOR_SUBJECT, ANCHOR_BODY = register_kind(
    "access_log_anchor",
    gettext_noop("Anker toegangslog %(day)s"),
    gettext_noop(
        "Anker van het toegangslog op %(at)s: %(count)s regels, laatste volgnummer %(seq)s, hash %(hash)s, "
        "handtekening %(signature)s (sleutel %(key)s). Bewaar dit bericht: verify-access-log vergelijkt het "
        "log met het nieuwste anker."
    ),
)


def access_log_anchor_digest(now: datetime) -> dict[str, int]:
    """Queue today's anchor for every active privacy officer; once a day (the dedupe key is the date)."""
    anchor = anchor_latest()
    if anchor is None:
        return {"anchor_digests": 0}
    day = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()
    officers: dict[int, list[User]] = {}
    for officer in User.objects.filter(
        role=Role.PRIVACY_OFFICER, is_active=True, organisation__isnull=False
    ).select_related("organisation"):
        officers.setdefault(officer.organisation.municipality_id, []).append(officer)  # type: ignore[union-attr]
    body = ANCHOR_BODY % {
        "at": anchor.at,
        "count": anchor.count,
        "seq": anchor.seq,
        "hash": anchor.entry_hash,
        "signature": anchor.signature,
        "key": anchor.key_id,
    }
    messages = [
        NotificationMessage(
            municipality_id=municipality_id,
            kind="access_log_anchor",
            subject=ANCHOR_SUBJECT % {"day": day},
            body=body,
            dedupe_key=f"access-log-anchor:{day}",
            recipients=recipients,
        )
        for municipality_id, recipients in officers.items()
    ]
    return {"anchor_digests": notifications_enqueue_many(messages, now=now)}
