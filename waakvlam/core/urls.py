from django.contrib.auth import views as auth_views
from django.urls import path

from waakvlam.core import views

# The start page ("core:home") reads every app and the functional administration ("core:admin_users", …)
# writes the access log, so the composition root adds both to this namespace (config/urls.py); the
# kernel does not import upward.
app_name = "core"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("account/tweestaps/", views.two_factor_verify, name="two_factor_verify"),
]
