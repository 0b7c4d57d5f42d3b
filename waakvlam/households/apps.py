from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "waakvlam.households"
    label = "households"
    verbose_name = "Huishoudens"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role

        register_nav_item(
            "households:resident_search",
            _("Inzageverzoeken"),
            roles={Role.PRIVACY_OFFICER},
            order=760,
            also_current={"households:resident_export"},
        )

        from waakvlam.households.creation import HOUSEHOLD_STEP
        from waakvlam.intake.creation import register_creation_step

        # Every new signal with an address, on every path that creates one, joins its household.
        register_creation_step(HOUSEHOLD_STEP)

        from waakvlam.households.signal_views import household_panel
        from waakvlam.intake.signal_page import register_signal_page_part

        # A signal's page shows the other signals at the address and likely duplicates to merge.
        register_signal_page_part(household_panel)

        from waakvlam.households.privacy_search import resident_subject_matches
        from waakvlam.privacy.readable import register_subject_finder

        # The access log (privacy, below us) searches by a person's name through our residents.
        register_subject_finder(resident_subject_matches)
