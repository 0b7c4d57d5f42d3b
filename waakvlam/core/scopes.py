"""The API-key scopes, named once: what a partner system's key may do (INTERFACE.md, "API keys").

A key reads or writes only within its scopes; the apps ask `scope_required`, so the refusal reads the same
everywhere (403, naming the scope)."""

from __future__ import annotations

from waakvlam.core.errors import Forbidden
from waakvlam.core.models import ApiKey

SIGNALS_WRITE = "signals:write"
SIGNALS_READ = "signals:read"
REFERENCE_READ = "reference:read"
CONTACT_READ = "contact:read"
HANDOVERS_READ = "handovers:read"
HANDOVERS_WRITE = "handovers:write"
HOUSEHOLDS_READ = "households:read"
REFERRALS_READ = "referrals:read"
REFERRALS_WRITE = "referrals:write"
# Read-only for a partner system of an organisation taking part: case conferences (their outline, never
# the scoped parts), the tasks it owns, and — for the stewards' own organisation — its attention items.
CASES_READ = "cases:read"
TASKS_READ = "tasks:read"
ATTENTION_READ = "attention:read"

SCOPES = (
    SIGNALS_WRITE,
    SIGNALS_READ,
    REFERENCE_READ,
    CONTACT_READ,
    HANDOVERS_READ,
    HANDOVERS_WRITE,
    HOUSEHOLDS_READ,
    REFERRALS_READ,
    REFERRALS_WRITE,
    CASES_READ,
    TASKS_READ,
    ATTENTION_READ,
)
DEFAULT_SCOPES = (SIGNALS_WRITE, REFERENCE_READ)


class ScopeLacking(Forbidden):
    """The key is known and may call this, but not with the scopes it was given: 403."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(f"This API key lacks the scope {scope}.")


def scope_required(api_key: ApiKey, scope: str) -> None:
    if scope not in api_key.scopes:
        raise ScopeLacking(scope)
