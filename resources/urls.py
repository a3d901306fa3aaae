from django.urls import path

from . import views

app_name = "resources"

# peers (the same app): its pages live under ressources/pairs/, so that they never collide
# with a resource's slug (ressources/<slug>/).
urlpatterns = [
    path("ressources/", views.resource_list, name="list"),
]
