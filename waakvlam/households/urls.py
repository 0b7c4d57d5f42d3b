from django.urls import path

from waakvlam.core import (
    converters,  # noqa: F401 (registers the "dbid" path converter)
    public_ids,  # noqa: F401 (registers the "pubid" path converter)
)
from waakvlam.households import signal_views, timeline, views

app_name = "households"
urlpatterns = [
    path("privacy/bewoners/", views.resident_search, name="resident_search"),
    path("signalen/<int:pk>/samenvoegen/", signal_views.signal_merge_view, name="signal_merge"),
    path("huishoudens/<pubid:public_id>/", timeline.household_detail, name="household_detail"),
    path("privacy/bewoners/<pubid:pk>/inzage/", views.resident_export_view, name="resident_export"),
    path("privacy/bewoners/<pubid:pk>/wissen/", views.resident_erase_view, name="resident_erase"),
    path(
        "privacy/bewoners/<pubid:pk>/inzage.json",
        views.resident_export_view,
        {"fmt": "json"},
        name="resident_export_json",
    ),
]
