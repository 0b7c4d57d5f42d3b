from django.urls import path

from waakvlam.privacy import views

app_name = "privacy"
urlpatterns = [path("privacy/toegangslog/", views.access_log, name="access_log")]
