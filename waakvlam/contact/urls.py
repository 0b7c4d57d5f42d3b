from django.urls import path

from waakvlam.contact import resident_views, search_views, team_views, views
from waakvlam.core import public_ids  # noqa: F401 (registers the "pubid" path converter)

app_name = "contact"
urlpatterns = [
    path("bewoners/", views.my_residents, name="my_residents"),
    path("bewoners/zoeken/", search_views.resident_find, name="resident_find"),
    path("bewoners/nieuw/", views.plan_create_view, name="plan_create"),
    path(
        "bewoners/<pubid:resident_id>/signaleringsplan/",
        resident_views.early_warning_plan_view,
        name="early_warning_plan",
    ),
    path(
        "bewoners/<pubid:resident_id>/signaleringsplan/wijzigen/",
        resident_views.early_warning_plan_edit,
        name="early_warning_plan_edit",
    ),
    path(
        "bewoners/<pubid:resident_id>/signaleringsplan/afdrukken/",
        resident_views.early_warning_plan_print,
        name="early_warning_plan_print",
    ),
    path("bewoners/<pubid:resident_id>/toestemmingen/", resident_views.resident_consents, name="resident_consents"),
    path("toestemmingen/", resident_views.consent_list, name="consent_list"),
    path("toestemmingen/<pubid:pk>/intrekken/", resident_views.consent_revoke_view, name="consent_revoke"),
    path("waakvlamcontact/<pubid:pk>/", views.plan_detail, name="plan_detail"),
    path("waakvlamcontact/<pubid:pk>/wijzigen/", views.plan_edit, name="plan_edit"),
    path("waakvlamcontact/<pubid:pk>/contact/", views.contact_record_view, name="contact_record"),
    path("waakvlamcontact/<pubid:pk>/afsluiten/", views.plan_close_view, name="plan_close"),
    path("team/waakvlam/", team_views.team_view, name="team"),
    path("team/waakvlam/overdragen/", team_views.hand_to_backup, name="hand_to_backup"),
    path("team/waakvlam/overdragen/ongedaan/", team_views.hand_to_backup_undo, name="hand_to_backup_undo"),
]
