"""The privacy officer's access-log search by a person's name: households tells the log (a lower app) which
subjects a name stands for — the resident's own and their household's address — within need-to-know."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from waakvlam.core.models import User
from waakvlam.households.export import residents_search
from waakvlam.households.services import resident_subject
from waakvlam.privacy.readable import SubjectMatch


def resident_subject_matches(user: User, text: str) -> list[SubjectMatch]:
    """Residents the officer may export (their own municipality only), found by name, postcode or number."""
    matches = []
    for resident in residents_search(user, text):
        subjects = [resident_subject(resident.pk)]
        where = _("zonder vast adres")
        if resident.household_id and resident.household is not None:
            subjects.append(f"address:{resident.household.address_id}")
            where = str(resident.household.address)
        matches.append(
            SubjectMatch(
                label=_("%(who)s (bewoner %(n)s, %(where)s)") % {"who": resident, "n": resident.pk, "where": where},
                subjects=tuple(subjects),
                object_type="households.resident",
                object_id=str(resident.pk),
                url=reverse("households:resident_export", args=[resident.public_id]),
            )
        )
    return matches
