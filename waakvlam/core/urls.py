from django.contrib.auth import views as auth_views
from django.urls import path

from waakvlam.core import views
from waakvlam.core.start_page import home

# The functional administration ("core:admin_users", …) writes the access log, so the composition root adds
# it to this namespace (config/urls.py); the kernel does not import upward. The start page ("core:home") is
# core's: it composes what the apps register (core/start_page.py).
app_name = "core"
urlpatterns = [
    path("", home, name="home"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("account/tweestaps/", views.two_factor_verify, name="two_factor_verify"),
]
