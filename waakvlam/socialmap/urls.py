from django.urls import path

from waakvlam.core import converters, public_ids  # noqa: F401 (register the "dbid" and "pubid" path converters)
from waakvlam.socialmap import admin_views, keeper_views, mix_views, need_views, referral_views, views

app_name = "socialmap"
urlpatterns = [
    path("sociale-kaart/", views.find, name="find"),
    path("sociale-kaart/aanbod/<uuid:pk>/", views.service_detail, name="service"),
    path("sociale-kaart/aanbod/<uuid:service_id>/verwijzen/", referral_views.referral_create, name="referral_create"),
    path("sociale-kaart/behoeften/<pubid:plan_id>/", need_views.need_record_view, name="need_record"),
    path("sociale-kaart/behoeften/<pubid:plan_id>/<dbid:pk>/einde/", need_views.need_end_view, name="need_end"),
    path("verwijzingen/", referral_views.referral_list, name="referral_list"),
    path("verwijzingen/collectief-of-individueel/", mix_views.referral_mix, name="referral_mix"),
    path("verwijzingen/<pubid:pk>/", referral_views.referral_detail, name="referral_detail"),
    path("verwijzingen/<pubid:pk>/antwoord/", referral_views.referral_answer, name="referral_answer"),
    path("verwijzingen/<pubid:pk>/meegegaan/", referral_views.referral_warm, name="referral_warm"),
    path("mijn-activiteiten/", keeper_views.keeper_home, name="keeper_home"),
    path("mijn-activiteiten/<uuid:pk>/", keeper_views.keeper_edit, name="keeper_edit"),
    path("sociale-kaart/moderatie/", keeper_views.moderation, name="moderation"),
    path("sociale-kaart/moderatie/<int:pk>/", keeper_views.moderation_decide, name="moderation_decide"),
    path("sociale-kaart/beheer/", admin_views.map_admin_home, name="map_admin"),
    path("sociale-kaart/beheer/aanbieder/nieuw/", admin_views.organization_edit, name="map_admin_organization_new"),
    path("sociale-kaart/beheer/aanbieder/<uuid:pk>/", admin_views.organization_edit, name="map_admin_organization"),
    path(
        "sociale-kaart/beheer/aanbieder/<uuid:organization_id>/aanbod/nieuw/",
        admin_views.service_edit,
        name="map_admin_service_new",
    ),
    path("sociale-kaart/beheer/aanbod/<uuid:pk>/", admin_views.service_edit, name="map_admin_service"),
    path("wat-is-er-te-doen/", views.public_index, name="public_index"),
    path("wat-is-er-te-doen/<str:code>/", views.public_neighbourhood, name="public_neighbourhood"),
]
