"""Access-log entries for a whole batch of imported signals at once, in the chain privacy keeps.

SECURITY.md asks for one entry per create of personal data, so every imported signal gets its own entry.
access_log_record (one INSERT, one tail read and one lock per entry) would cost more than the rest of the
import, so this appends a batch the way privacy.services._append does: the same lock, the same tail read,
the same HMAC over AccessLogEntry.chained_fields() in the same order, then one COPY. Call it last in the
batch's transaction: the chain's lock is held from here until COMMIT. access_log_verify checks the result
in the tests, so a change to the chain's fields in privacy cannot go unnoticed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from waakvlam.bulkimport.import_sql import copy_rows
from waakvlam.core.keyed_hash import keyed_sha256
from waakvlam.privacy.models import AccessAction, AccessLogEntry
from waakvlam.privacy.services import _PG_LOCK_ID, GENESIS, Actor, _signing_key

__all__ = ["access_log_append_many"]

_FIELDS = [
    "seq",
    "at",
    "user_id_at_time",
    "username",
    "role",
    "organisation",
    "api_key_prefix",
    "action",
    "object_type",
    "object_id",
    "subject",
    "municipality_code",
    "client_address",
    "context",
    "reason",
    "key_id",
    "prev_hash",
    "entry_hash",
]


def access_log_append_many(
    *,
    actor: Actor,
    object_type: str,
    entries: Sequence[tuple[str, str, str]],
    context: str,
    now: datetime,
    action: AccessAction = AccessAction.CREATE,
) -> None:
    """One entry per (object_id, subject, municipality_code), all by `actor` at `now`, chained on the tail."""
    if not entries:
        return
    key_id, key = _signing_key()
    signer = keyed_sha256(key.encode())
    at_text = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    at: Any = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    who = [str(actor.user_id or ""), actor.username, actor.role, actor.organisation, actor.api_key_prefix]
    verb, context, client = str(action), context[:200], actor.client_address
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
    last = AccessLogEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    records = []
    for object_id, subject, municipality_code in entries:
        seq += 1
        object_id, subject = object_id[:64], subject[:64]
        # prev_hash, then AccessLogEntry.chained_fields(): seq, at, user id, username, role, organisation,
        # api key prefix, action, object type, object id, subject, municipality, client, context, reason,
        # key id, prev hash.
        fields = [str(seq), at_text, *who, verb, object_type, object_id, subject, municipality_code, client, context]
        message = "\x1f".join([prev, *fields, "", key_id, prev])
        digest = signer.hexdigest(message.encode())
        records.append(
            (
                seq,
                at,
                actor.user_id,
                *who[1:],
                verb,
                object_type,
                object_id,
                subject,
                municipality_code,
                client,
                context,
                "",
                key_id,
                prev,
                digest,
            )
        )
        prev = digest
    columns = {f.attname: str(f.column) for f in AccessLogEntry._meta.concrete_fields}
    copy_rows(AccessLogEntry, [columns[f] for f in _FIELDS], records)
