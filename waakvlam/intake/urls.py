from django.urls import path

from waakvlam.intake import views

app_name = "intake"
urlpatterns = [
    path("signalen/", views.signal_list, name="signal_list"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal_detail"),
]
