from __future__ import annotations

from datetime import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _imports(now: datetime) -> dict[str, int]:
    from waakvlam.bulkimport.import_jobs import import_jobs_sweep

    return import_jobs_sweep(now)


class BulkImportConfig(AppConfig):
    name = "waakvlam.bulkimport"
    label = "bulkimport"
    verbose_name = "Bestandsimport"

    def ready(self) -> None:
        from waakvlam.core.nav import register_nav_item
        from waakvlam.core.roles import Role
        from waakvlam.intake.rules import may_import

        # The upload page keeps its name in intake's namespace ("intake:import_upload", config/urls.py).
        register_nav_item(
            "intake:import_upload",
            _("Importeren"),
            roles={Role.COORDINATOR, Role.ADMIN, Role.SIGNALLER, Role.PARTNER},
            order=50,
            also_current={"intake:import_detail"},
            allowed=may_import,
        )

        from waakvlam.core.worker import register_sweep

        # Uploaded imports whose thread never ran or died; last, since a big file takes a while. (The
        # sweep keeps its name from when the import lived in intake: the worker's counts are read by it.)
        register_sweep("intake.import_jobs", _imports, order=990)
