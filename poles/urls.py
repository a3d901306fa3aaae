from django.urls import path

from .views import coordinators, public

app_name = "poles"

urlpatterns = [
    path("poles/", public.directory, name="directory"),
    path("poles/proposer/", coordinators.propose, name="propose"),
    path("poles/<slug:slug>/", public.detail, name="detail"),
    path("poles/<slug:slug>/coordonner/", coordinators.claim, name="claim"),
    path("poles/<slug:slug>/modifier/", coordinators.edit, name="edit"),
    path("poles/<slug:slug>/images/", coordinators.pictures, name="pictures"),
    path("moderation-regionale/", coordinators.moderation, name="moderation"),
    path(
        "moderation-regionale/<str:kind>/<int:pk>/",
        coordinators.moderation_decide,
        name="moderation_decide",
    ),
    path("carte/", public.map_view, name="map"),
    path("carte/embed/", public.map_embed, name="map_embed"),
    path("carte/points.geojson", public.map_points, name="map_points"),
    path("donnees/", public.open_data, name="open_data"),
    path("sources/", public.sources, name="sources"),
    path("api/poles.geojson", public.api_geojson, name="api_geojson"),
    path("api/poles.csv", public.api_csv, name="api_csv"),
    path("api/poles.json", public.api_json, name="api_json"),
]
