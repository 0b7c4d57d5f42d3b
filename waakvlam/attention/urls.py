from django.urls import path

from waakvlam.attention import views
from waakvlam.core import converters, public_ids  # noqa: F401 (register the "dbid" and "pubid" path converters)

app_name = "attention"
urlpatterns = [
    path("aandacht/", views.item_list, name="list"),
    path("aandacht/register/", views.register_view, name="register"),
    path("aandacht/regels/", views.configuration_view, name="configuration"),
    path("aandacht/<pubid:pk>/", views.item_detail, name="detail"),
    path("aandacht/<pubid:pk>/oppakken/", views.item_take_up_view, name="take_up"),
    path("aandacht/<pubid:pk>/afwijzen/", views.item_dismiss_view, name="dismiss"),
]
