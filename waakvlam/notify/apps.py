from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "waakvlam.notify"
    label = "notify"
    verbose_name = "Meldingen aan medewerkers"

    def ready(self) -> None:
        from waakvlam.core.worker import register_sweep
        from waakvlam.notify.delivery import outbox_deliver

        # Late in the pass, so notifications queued by this pass's deadline and escalation sweeps go out now.
        register_sweep("notify.outbox", outbox_deliver, order=900)
