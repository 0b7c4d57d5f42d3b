from django.urls import path

from waakvlam.notify import views

app_name = "notify"
urlpatterns = [
    path("meldingen/", views.notification_list, name="list"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="read"),
    path("meldingen/alles-gelezen/", views.notification_read_all, name="read_all"),
]
