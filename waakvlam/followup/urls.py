from django.urls import path

from waakvlam.followup import views

app_name = "followup"
urlpatterns = [
    path("regie/vastgelopen/", views.stuck, name="stuck"),
]
