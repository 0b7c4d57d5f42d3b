"""The activity keeper's start page (registered in SocialmapConfig.ready(), core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.core.models import User
from waakvlam.socialmap.referral_models import Referral, ReferralStatus
from waakvlam.socialmap.referral_selectors import receiver_q


def keeper_counts(user: User, now: datetime) -> dict[str, Any]:
    # Counts only: the names are on "Mijn activiteiten", where each shown referral is logged.
    return {
        "activity_count": user.kept_services.count(),  # type: ignore[attr-defined]
        "referrals_waiting": Referral.objects.filter(receiver_q(user), status=ReferralStatus.SENT).count(),
    }
