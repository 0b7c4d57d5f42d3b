from django.urls import path

from waakvlam.notify import views

app_name = "notify"
urlpatterns = [
    path("berichten/", views.notification_list, name="list"),
    path("berichten/<int:pk>/gelezen/", views.notification_read, name="read"),
    path("berichten/alles-gelezen/", views.notification_read_all, name="read_all"),
]
