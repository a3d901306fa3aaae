"""URLs of peer help, under ressources/pairs/ (included by resources/urls.py before the
resources' own slug routes, which would otherwise take « pairs » for a resource)."""

from django.urls import path

from . import peers_views

urlpatterns = [
    path("ressources/pairs/", peers_views.peers_home, name="peers"),
    path("ressources/pairs/<slug:slug>/offres/", peers_views.help_offers, name="help_offers"),
    path(
        "ressources/pairs/<slug:slug>/demander/<int:offer>/",
        peers_views.exchange_new,
        name="exchange_new",
    ),
    path("ressources/pairs/echanges/<int:pk>/", peers_views.exchange_detail, name="exchange"),
    path(
        "ressources/pairs/echanges/<int:pk>/repondre/",
        peers_views.exchange_decide,
        name="exchange_decide",
    ),
    path(
        "ressources/pairs/echanges/<int:pk>/retirer/",
        peers_views.exchange_withdraw,
        name="exchange_withdraw",
    ),
]
