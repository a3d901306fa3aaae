from django.urls import path

from . import views
from .peers_urls import urlpatterns as peers_urlpatterns

app_name = "resources"

# Peer help (resources/peers_urls.py) lives under ressources/pairs/, before the resources'
# slug routes ("pairs" is a reserved slug: services.RESERVED_SLUGS).
urlpatterns = [
    path("ressources/", views.resource_list, name="list"),
    *peers_urlpatterns,
    path("ressources/proposer/", views.resource_create, name="create"),
    path("ressources/moderation/", views.moderation_queue, name="moderation"),
    path("ressources/moderation/<slug:slug>/", views.moderation_decide, name="decide"),
    path("ressources/<slug:slug>/", views.resource_detail, name="detail"),
    path("ressources/<slug:slug>/modifier/", views.resource_edit, name="edit"),
    path("ressources/<slug:slug>/soumettre/", views.resource_submit, name="submit"),
    path(
        "ressources/<slug:slug>/fichiers/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "ressources/<slug:slug>/fichiers/<int:pk>/supprimer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
