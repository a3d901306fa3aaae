from django.urls import path

from . import views, views_coordinators

app_name = "poles"

urlpatterns = [
    path("poles/", views.directory, name="directory"),
    path("poles/proposer/", views_coordinators.propose, name="propose"),
    path("poles/<slug:slug>/", views.detail, name="detail"),
    path("poles/<slug:slug>/coordonner/", views_coordinators.claim, name="claim"),
    path("poles/<slug:slug>/modifier/", views_coordinators.edit, name="edit"),
    path("moderation-regionale/", views_coordinators.moderation, name="moderation"),
    path(
        "moderation-regionale/<str:kind>/<int:pk>/",
        views_coordinators.moderation_decide,
        name="moderation_decide",
    ),
    path("carte/", views.map_view, name="map"),
    path("carte/embed/", views.map_embed, name="map_embed"),
    path("donnees/", views.open_data, name="open_data"),
    path("api/poles.geojson", views.api_geojson, name="api_geojson"),
    path("api/poles.csv", views.api_csv, name="api_csv"),
    path("api/poles.json", views.api_json, name="api_json"),
]
