from django.urls import path

from waakvlam.core import converters  # noqa: F401 (registers the "dbid" path converter)
from waakvlam.handover import views

app_name = "handover"
urlpatterns = [
    path("overdrachten/", views.handover_list, name="list"),
    path("overdrachten/nieuw/", views.handover_create, name="create"),
    path("overdrachten/<dbid:pk>/", views.handover_detail, name="detail"),
    path("overdrachten/<dbid:pk>/accepteren/", views.handover_accept_view, name="accept"),
    path("overdrachten/<dbid:pk>/checklist/<slug:topic>/", views.handover_item_view, name="item"),
    path("overdrachten/<dbid:pk>/afronden/", views.handover_close_view, name="close"),
]
