from datetime import datetime, timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _prune(now: datetime) -> dict[str, int]:
    from waakvlam.notify.prune import notifications_prune

    return notifications_prune(now)


def _anchor_digest(now: datetime) -> dict[str, int]:
    from waakvlam.notify.anchor_digest import access_log_anchor_digest

    return access_log_anchor_digest(now)


class NotifyConfig(AppConfig):
    name = "waakvlam.notify"
    label = "notify"
    verbose_name = "Berichten aan medewerkers"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import ALL_ROLES
        from waakvlam.notify.selectors import unread_count

        # "Berichten (3)": the unread count beside the label on every page.
        register_nav_item("notify:list", _("Berichten"), roles=ALL_ROLES, order=900, badge=unread_count)

        from waakvlam.core.worker import at_most_every, register_sweep
        from waakvlam.notify import anchor_digest  # noqa: F401  (its texts, for readers in /en/: catalogue.py)
        from waakvlam.notify.delivery import outbox_deliver

        # Late in the pass, so notifications queued by this pass's deadline and escalation sweeps go out now.
        register_sweep("notify.outbox", outbox_deliver, order=900)
        # Sent notifications are forgotten after the retention period (SECURITY.md); hourly is plenty.
        register_sweep("notify.prune", at_most_every(timedelta(hours=1), _prune), order=955)
        # The daily copy of the access log's anchor to the privacy officers (docs/threat-model.md).
        register_sweep("notify.access_log_anchor_digest", at_most_every(timedelta(hours=1), _anchor_digest), order=998)
