from django.urls import path

from waakvlam.insight import regie_views, views

app_name = "insight"
urlpatterns = [
    path("inzicht/", views.dashboard, name="dashboard"),
    path("inzicht/export.csv", views.dashboard_csv, name="csv"),
    path("inzicht/open-data.csv", views.open_data, name="open_data"),
    path("regie/vastgelopen/signaal/<int:pk>/", regie_views.regie_signal, name="regie_signal"),
]
