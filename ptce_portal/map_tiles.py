"""The map's tile source: one setting, MAP_TILE_URL (any XYZ or WMTS-as-XYZ URL; the CSP's
img-src allows its origin, settings.MAP_TILE_ORIGINS), and the attribution shown on every
map, in the visitor's language for the known public sources unless MAP_TILE_ATTRIBUTION
overrides it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Plan IGN (IGN's Géoplateforme, Licence Ouverte 2.0): the French public alternative to
# OpenStreetMap's tiles; see the README (« Fond de carte »).
PLAN_IGN_URL = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
    "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)

KNOWN_ATTRIBUTIONS = {
    "tile.openstreetmap.org": _(
        '&copy; les contributeurs d’<a href="https://www.openstreetmap.org/copyright">'
        "OpenStreetMap</a>"
    ),
    "data.geopf.fr": _(
        '&copy; <a href="https://www.ign.fr/">IGN</a> – Plan IGN, '
        '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte 2.0</a>'
    ),
}


def tile_attribution():
    """MAP_TILE_ATTRIBUTION when set, else the translated attribution of a known source."""
    if settings.MAP_TILE_ATTRIBUTION:
        return settings.MAP_TILE_ATTRIBUTION
    host = urlsplit(settings.MAP_TILE_URL).hostname or ""
    return KNOWN_ATTRIBUTIONS.get(host, "")
