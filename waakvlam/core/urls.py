from django.contrib.auth import views as auth_views
from django.urls import path

from waakvlam.core import admin_views, views

# The start page ("core:home") reads every app, so the composition root adds it to this namespace
# (config/urls.py); the kernel does not import upward.
app_name = "core"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("account/tweestaps/", views.two_factor_verify, name="two_factor_verify"),
    path("account/uitnodiging/<uidb64>/<token>/", admin_views.InviteAcceptView.as_view(), name="invite_accept"),
    # Functional administration (Role.ADMIN), limited to the admin's own municipality.
    path("beheer/gebruikers/", admin_views.user_list, name="admin_users"),
    path("beheer/gebruikers/nieuw/", admin_views.user_edit, name="admin_user_invite"),
    path("beheer/gebruikers/<int:pk>/", admin_views.user_edit, name="admin_user_edit"),
    path("beheer/gebruikers/<int:pk>/tweestaps/", admin_views.user_two_factor, name="admin_user_two_factor"),
    path("beheer/teams/", admin_views.team_list, name="admin_teams"),
    path("beheer/teams/nieuw/", admin_views.team_edit, name="admin_team_create"),
    path("beheer/teams/<int:pk>/", admin_views.team_edit, name="admin_team_edit"),
    path("beheer/organisaties/", admin_views.organisation_list, name="admin_organisations"),
    path("beheer/organisaties/nieuw/", admin_views.organisation_edit, name="admin_organisation_create"),
    path("beheer/organisaties/<int:pk>/", admin_views.organisation_edit, name="admin_organisation_edit"),
]
