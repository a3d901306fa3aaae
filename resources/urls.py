from django.urls import path

from . import views

app_name = "resources"

# peers (the same app): its pages live under ressources/pairs/ (resources/urls_peers.py or
# below), so that they never collide with a resource's slug.
urlpatterns = [
    path("ressources/", views.resource_list, name="list"),
    path("ressources/proposer/", views.resource_create, name="create"),
    path("ressources/moderation/", views.moderation_queue, name="moderation"),
    path("ressources/moderation/<slug:slug>/", views.moderation_decide, name="decide"),
    path("ressources/<slug:slug>/", views.resource_detail, name="detail"),
    path("ressources/<slug:slug>/modifier/", views.resource_edit, name="edit"),
    path("ressources/<slug:slug>/soumettre/", views.resource_submit, name="submit"),
    path(
        "ressources/<slug:slug>/fichiers/ajouter/",
        views.attachment_add,
        name="attachment_add",
    ),
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
