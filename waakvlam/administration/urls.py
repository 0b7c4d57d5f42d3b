"""The functional administration's pages. Their names stay in the "core" namespace ("core:admin_users"),
where the composition root (config/urls.py) puts them beside the kernel's own."""

from django.urls import path

from waakvlam.administration import views

urlpatterns = [
    path("account/uitnodiging/<uidb64>/<token>/", views.InviteAcceptView.as_view(), name="invite_accept"),
    # Functional administration (Role.ADMIN), limited to the admin's own municipality.
    path("beheer/gebruikers/", views.user_list, name="admin_users"),
    path("beheer/gebruikers/nieuw/", views.user_edit, name="admin_user_invite"),
    path("beheer/gebruikers/<int:pk>/", views.user_edit, name="admin_user_edit"),
    path("beheer/gebruikers/<int:pk>/tweestaps/", views.user_two_factor, name="admin_user_two_factor"),
    path("beheer/teams/", views.team_list, name="admin_teams"),
    path("beheer/teams/nieuw/", views.team_edit, name="admin_team_create"),
    path("beheer/teams/<int:pk>/", views.team_edit, name="admin_team_edit"),
    path("beheer/organisaties/", views.organisation_list, name="admin_organisations"),
    path("beheer/organisaties/nieuw/", views.organisation_edit, name="admin_organisation_create"),
    path("beheer/organisaties/<int:pk>/", views.organisation_edit, name="admin_organisation_edit"),
]
