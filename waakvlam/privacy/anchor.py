"""Anchoring the access log outside the table it protects.

The hash chain shows any change, removal or insertion *inside* the log, but the newest entries (or all of
them) can be cut off and the shorter chain is still a valid chain. So the worker writes the chain's head —
how many entries, the last seq and its hash, signed with the access-log key — every pass into an
append-only file in the var directory (not writable through the database role), and once a day mails a
digest of it to the privacy officers through the outbox. `verify-access-log` compares the table with the
newest anchor and says how many entries are missing (docs/threat-model.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import key_id

logger = logging.getLogger("waakvlam.privacy.anchor")


@dataclass(frozen=True)
class Anchor:
    at: str
    count: int
    seq: int
    entry_hash: str
    key_id: str
    signature: str = ""

    def message(self) -> bytes:
        return "\x1f".join(["anchor", self.at, str(self.count), str(self.seq), self.entry_hash, self.key_id]).encode()


def anchor_path() -> Path:
    return Path(getattr(settings, "ACCESS_LOG_ANCHOR_FILE", Path(settings.VAR_DIR) / "access-log-anchors.jsonl"))


def _sign(anchor: Anchor, key: str) -> str:
    return hmac.new(key.encode(), anchor.message(), hashlib.sha256).hexdigest()


def anchor_signature_valid(anchor: Anchor) -> bool:
    keys = {key_id(k): k for k in settings.ACCESS_LOG_KEYS}
    key = keys.get(anchor.key_id)
    return key is not None and hmac.compare_digest(anchor.signature, _sign(anchor, key))


def access_log_head() -> tuple[int, int, str]:
    """(count, last seq, last hash) of the table as it is now; (0, 0, "") when it is empty."""
    figures = AccessLogEntry.objects.aggregate(count=Count("seq"), last=Max("seq"))
    last = figures["last"] or 0
    last_hash = AccessLogEntry.objects.filter(seq=last).values_list("entry_hash", flat=True).first() or ""
    return int(figures["count"]), int(last), last_hash


def anchor_latest(path: Path | None = None) -> Anchor | None:
    """The newest anchor in the file; None when there is none yet. Reads only the file's end (it grows by a
    line a pass). A torn last line (a crash mid-write) is skipped: the one before it still holds."""
    path = path or anchor_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _TAIL_BYTES))
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        try:
            return Anchor(**json.loads(line))
        except (ValueError, TypeError):
            continue
    return None


_TAIL_BYTES = 16 * 1024


class AnchorRefused(Exception):
    """The table no longer reaches the last anchor: writing a new one would hide the loss."""


def access_log_anchor_write(now: datetime, path: Path | None = None) -> Anchor | None:
    """Append the signed head to the anchor file when it moved since the last anchor. Refuses (raises) when
    the table is behind the last anchor or its entry there has another hash: a new, shorter anchor would
    make the cut look legitimate."""
    path = path or anchor_path()
    count, seq, entry_hash = access_log_head()
    previous = anchor_latest(path)
    if previous is not None:
        missing = anchor_missing(previous)
        if missing:
            raise AnchorRefused(missing)
        if previous.seq == seq:
            return None
    if seq == 0:
        return None
    key = settings.ACCESS_LOG_KEYS[0]
    unsigned = Anchor(at=now.isoformat(), count=count, seq=seq, entry_hash=entry_hash, key_id=key_id(key))
    anchor = Anchor(**{**asdict(unsigned), "signature": _sign(unsigned, key)})
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each write lands at the end, whatever else holds the file; operators can make the file
    # append-only for the worker's user (chattr +a) or ship it elsewhere (docs/threat-model.md).
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (json.dumps(asdict(anchor), sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor


def anchor_missing(anchor: Anchor) -> str:
    """What the table lacks compared with `anchor`, in words; "" when it still reaches it."""
    if not anchor_signature_valid(anchor):
        return "the newest anchor's signature does not verify: the anchor file was changed"
    count, seq, _ = access_log_head()
    if seq < anchor.seq:
        lost = anchor.count - count if anchor.count >= count else anchor.seq - seq
        return (
            f"{lost} entries are missing: the anchor of {anchor.at} recorded {anchor.count} entries "
            f"up to seq {anchor.seq}, the table ends at seq {seq} with {count}"
        )
    at_anchor = AccessLogEntry.objects.filter(seq=anchor.seq).values_list("entry_hash", flat=True).first()
    if at_anchor != anchor.entry_hash:
        return f"entry {anchor.seq} is not the one the anchor of {anchor.at} recorded: the chain was rewritten"
    below = AccessLogEntry.objects.filter(seq__lte=anchor.seq).count()
    if below < anchor.count:
        return f"{anchor.count - below} entries are missing up to seq {anchor.seq} (anchor of {anchor.at})"
    return ""


def access_log_anchor_sweep(now: datetime) -> dict[str, int]:
    """The worker's step: anchor the head. A refusal is logged loudly and counted, never hidden."""
    try:
        written = access_log_anchor_write(now)
    except AnchorRefused as refused:
        logger.error("access log not anchored: %s", refused)
        return {"anchored": 0, "refused": 1}
    return {"anchored": int(written is not None), "refused": 0}
