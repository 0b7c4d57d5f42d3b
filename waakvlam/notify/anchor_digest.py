"""The daily digest of the access log's anchor to the privacy officers: a copy of the chain's signed head
outside the server, so even someone who controls both the database and the var directory cannot cut the
log short without the officers' mailbox showing an anchor the server no longer reaches."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.notify.services import NotificationMessage, notifications_enqueue_many
from waakvlam.privacy.anchor import anchor_latest


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
    body = _(
        "Anker van het toegangslog op {at}: {count} regels, laatste volgnummer {seq}, hash {hash}, "
        "handtekening {signature} (sleutel {key}). Bewaar deze melding: verify-access-log vergelijkt het log "
        "met het nieuwste anker."
    ).format(
        at=anchor.at,
        count=anchor.count,
        seq=anchor.seq,
        hash=anchor.entry_hash,
        signature=anchor.signature,
        key=anchor.key_id,
    )
    messages = [
        NotificationMessage(
            municipality_id=municipality_id,
            kind="access_log_anchor",
            subject=_("Anker toegangslog {day}").format(day=day),
            body=body,
            dedupe_key=f"access-log-anchor:{day}",
            recipients=recipients,
        )
        for municipality_id, recipients in officers.items()
    ]
    return {"anchor_digests": notifications_enqueue_many(messages, now=now)}
