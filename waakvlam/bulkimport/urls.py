"""The upload page, its progress (polled by htmx), summary and row report. config/urls.py puts these in
intake's namespace, so the names (`intake:import_upload`, …) and paths stayed what they were."""

from django.urls import path

from waakvlam.bulkimport import import_views

urlpatterns = [
    path("importeren/", import_views.import_upload, name="import_upload"),
    path("importeren/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("importeren/<int:pk>/voortgang/", import_views.import_progress, name="import_progress"),
    path("importeren/<int:pk>/rapport.csv", import_views.import_report, name="import_report"),
]
