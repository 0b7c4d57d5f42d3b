"""The social map's tunable numbers (a Django setting of that name, else the environment, else the default):

| setting / variable | default | meaning |
|---|---|---|
| WAAKVLAM_REFERRAL_ANSWER_DAYS | 3 | working days the receiving side has to answer a referral |
"""

from __future__ import annotations

from waakvlam.core.conf import setting_number


def referral_answer_days() -> int:
    return setting_number("WAAKVLAM_REFERRAL_ANSWER_DAYS", 3, minimum=1)
