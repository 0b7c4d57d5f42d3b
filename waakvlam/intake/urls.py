from django.urls import path

from waakvlam.intake import views

app_name = "intake"
urlpatterns = [
    path("signalen/", views.signal_list, name="signal_list"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal_detail"),
    # Reporting: the one-minute form for professionals, and the public form for residents.
    path("melden/", views.signal_create, name="signal_create"),
    path("melden/bedankt/", views.signal_create_done, name="signal_create_done"),
    path("melding-doen/", views.public_signal_create, name="public_create"),
    path("melding-doen/bedankt/", views.public_create_done, name="public_create_done"),
    # Following a report by its tracking code: status only.
    path("volgen/", views.track, name="track"),
    path("volgen/<str:code>/", views.track_detail, name="track_detail"),
]
