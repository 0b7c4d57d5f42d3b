from django.urls import path

from waakvlam.attention import views
from waakvlam.core import converters  # noqa: F401 (registers the "dbid" path converter)

app_name = "attention"
urlpatterns = [
    path("aandacht/", views.item_list, name="list"),
    path("aandacht/register/", views.register_view, name="register"),
    path("aandacht/regels/", views.configuration_view, name="configuration"),
    path("aandacht/<dbid:pk>/", views.item_detail, name="detail"),
    path("aandacht/<dbid:pk>/oppakken/", views.item_take_up_view, name="take_up"),
    path("aandacht/<dbid:pk>/afwijzen/", views.item_dismiss_view, name="dismiss"),
]
