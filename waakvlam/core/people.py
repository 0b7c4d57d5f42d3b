"""How Waakvlam names a person on screen and in texts: the full name, else the role word; never the
username, which is a login and not a name (issue 12: "overgedragen aan waakvlammer")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def person_name(user: Any) -> str:
    """ "Anna de Vries"; without a name on the account "Waakvlammer" (the role); "—" for nobody."""
    if user is None:
        return "—"
    full = str(user.get_full_name() or "").strip()
    if full:
        return full
    if getattr(user, "role", ""):
        return str(user.get_role_display())
    return gettext("een medewerker")
