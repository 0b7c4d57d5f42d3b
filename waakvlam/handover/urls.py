from django.urls import path

from waakvlam.core import converters, public_ids  # noqa: F401 (register the "dbid" and "pubid" path converters)
from waakvlam.handover import views

app_name = "handover"
urlpatterns = [
    path("overdrachten/", views.handover_list, name="list"),
    path("overdrachten/nieuw/", views.handover_create, name="create"),
    path("overdrachten/<pubid:pk>/", views.handover_detail, name="detail"),
    path("overdrachten/<pubid:pk>/accepteren/", views.handover_accept_view, name="accept"),
    path("overdrachten/<pubid:pk>/checklist/<slug:topic>/", views.handover_item_view, name="item"),
    path("overdrachten/<pubid:pk>/afronden/", views.handover_close_view, name="close"),
]
