from django.urls import path

from waakvlam.core import public_ids  # noqa: F401 (registers the "pubid" path converter)
from waakvlam.network import views

app_name = "network"
urlpatterns = [
    path("mijn-mensen/", views.my_people, name="my_people"),
    path("mijn-mensen/<pubid:pk>/", views.report, name="report"),
    path("bewoners/<pubid:resident_id>/netwerk/", views.resident_network, name="resident_network"),
]
