from django.urls import path

from waakvlam.insight import views

app_name = "insight"
urlpatterns = [
    path("inzicht/", views.dashboard, name="dashboard"),
    path("inzicht/export.csv", views.dashboard_csv, name="csv"),
    path("inzicht/open-data.csv", views.open_data, name="open_data"),
]
