from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language

from waakvlam.administration import urls as administration_urls
from waakvlam.bulkimport import urls as bulkimport_urls
from waakvlam.config.api import api
from waakvlam.core import urls as core_urls
from waakvlam.core import views as core_views
from waakvlam.intake import urls as intake_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]
# The UI is Dutch at / and English at /en/.
urlpatterns += i18n_patterns(
    # The functional administration writes the access log, so it is added here to the kernel's own
    # namespace: "core:admin_users", …
    path(
        "",
        include(
            (
                [*core_urls.urlpatterns, *administration_urls.urlpatterns],
                core_urls.app_name,
            )
        ),
    ),
    # The bulk import's pages keep the names they had in intake ("intake:import_upload", …).
    path("", include(([*intake_urls.urlpatterns, *bulkimport_urls.urlpatterns], intake_urls.app_name))),
    path("", include("waakvlam.privacy.urls")),
    path("", include("waakvlam.followup.urls")),
    path("", include("waakvlam.routing.urls")),
    path("", include("waakvlam.notify.urls")),
    path("", include("waakvlam.contact.urls")),
    path("", include("waakvlam.handover.urls")),
    path("", include("waakvlam.households.urls")),
    path("", include("waakvlam.cases.urls")),
    path("", include("waakvlam.network.urls")),
    path("", include("waakvlam.attention.urls")),
    path("", include("waakvlam.insight.urls")),
    path("", include("waakvlam.socialmap.urls")),
    prefix_default_language=False,
)

if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler404 = "waakvlam.core.errors.not_found"
handler500 = "waakvlam.core.errors.server_error"
