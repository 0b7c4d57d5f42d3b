from django.urls import path

from waakvlam.core import converters, public_ids  # noqa: F401 (register the "dbid" and "pubid" path converters)
from waakvlam.network import views

app_name = "network"
urlpatterns = [
    path("mijn-mensen/", views.my_people, name="my_people"),
    path("mijn-mensen/<dbid:pk>/", views.report, name="report"),
    path("bewoners/<pubid:resident_id>/netwerk/", views.resident_network, name="resident_network"),
]
