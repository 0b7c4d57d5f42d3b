from django.urls import path

from waakvlam.followup import views as followup_views
from waakvlam.routing import views

app_name = "routing"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/team/", views.team_inbox, name="team_inbox"),
    path("signalen/<int:pk>/oppakken/", views.signal_claim_view, name="signal_claim"),
    path("signalen/<int:pk>/overdragen/", views.signal_transfer_view, name="signal_transfer"),
    path("signalen/<int:pk>/afsluiten/", views.signal_close_view, name="signal_close"),
    path("signalen/<int:pk>/uitleg/", views.signal_explain_view, name="signal_explain"),
    path("routering/regels/", views.rule_list, name="rule_list"),
    path("routering/regels/nieuw/", views.rule_create, name="rule_create"),
    path("routering/regels/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("routering/regels/<int:pk>/omhoog/", views.rule_move, {"direction": "omhoog"}, name="rule_up"),
    path("routering/regels/<int:pk>/omlaag/", views.rule_move, {"direction": "omlaag"}, name="rule_down"),
    path("routering/regels/<int:pk>/aanzetten/", views.rule_set_active, {"state": "aan"}, name="rule_activate"),
    path("routering/regels/<int:pk>/uitzetten/", views.rule_set_active, {"state": "uit"}, name="rule_deactivate"),
    # The stuck page covers every follow-up kind now (followup:stuck); the old name stays for links to it.
    path("regie/vastgelopen/", followup_views.stuck, name="stuck"),
]
