from django.urls import path

from waakvlam.cases import area_views, task_views, views
from waakvlam.core import converters, public_ids  # noqa: F401 (register the "dbid" and "pubid" path converters)

app_name = "cases"
urlpatterns = [
    path("casusoverleg/", views.conference_list, name="conference_list"),
    path("casusoverleg/nieuw/", views.conference_create, name="conference_create"),
    path("casusoverleg/cijfers/", views.figures, name="figures"),
    path("casusoverleg/<pubid:pk>/", views.conference_detail, name="conference_detail"),
    path("casusoverleg/<pubid:pk>/uitnodigen/", views.conference_invite, name="conference_invite"),
    path("casusoverleg/<pubid:pk>/besluit/", views.conference_decision, name="conference_decision"),
    path("casusoverleg/<pubid:pk>/verslag/", views.conference_minutes, name="conference_minutes"),
    path("casusoverleg/<pubid:pk>/regisseur/", views.conference_director, name="conference_director"),
    path("casusoverleg/<pubid:pk>/taak/", views.conference_task, name="conference_task"),
    path("casusoverleg/<pubid:pk>/afsluiten/", views.conference_close_view, name="conference_close"),
    path("casusoverleg/<pubid:pk>/<slug:part>/", views.conference_scope, name="conference_scope"),
    path("taken/", task_views.task_list, name="task_list"),
    path("taken/<pubid:pk>/", task_views.task_detail, name="task_detail"),
    path("taken/<pubid:pk>/klaar/", task_views.task_settle_view, {"to": "done"}, name="task_done"),
    path("taken/<pubid:pk>/vervallen/", task_views.task_settle_view, {"to": "dropped"}, name="task_drop"),
    path("gebiedsoverleg/", area_views.area_list, name="area_list"),
    path("gebiedsoverleg/nieuw/", area_views.area_create, name="area_create"),
    path("gebiedsoverleg/pieken/<dbid:pk>/", area_views.spike_detail, name="spike_detail"),
    path("gebiedsoverleg/<dbid:pk>/", area_views.area_detail, name="area_detail"),
    path("gebiedsoverleg/<dbid:pk>/taak/", area_views.area_task, name="area_task"),
    path("gebiedsoverleg/<dbid:pk>/verslag/", area_views.area_minutes, name="area_minutes"),
    path("gebiedsoverleg/<dbid:pk>/afsluiten/", area_views.area_close, name="area_close"),
]
