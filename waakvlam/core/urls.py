from django.contrib.auth import views as auth_views
from django.urls import path

from waakvlam.config.start_pages import home
from waakvlam.core import views

app_name = "core"
urlpatterns = [
    path("", home, name="home"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("account/tweestaps/", views.two_factor_verify, name="two_factor_verify"),
]
