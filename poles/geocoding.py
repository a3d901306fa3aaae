"""Geocoding of poles through the national address API (Base Adresse Nationale), served by
IGN's Géoplateforme (https://data.geopf.fr/geocodage/search, the parameters and GeoJSON
answers of the former api-adresse.data.gouv.fr). Never raises on network trouble: a lookup
says what went wrong, and the services tell the person (poles.services.AddressNotFound)
rather than silently placing the pole at its department's chef-lieu."""

import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from .models import is_in_france

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3
MIN_SCORE = 0.4

# Why a lookup found no usable point.
NOT_FOUND = "not_found"  # no answer, a poor match, or a point outside France: the text to check
UNAVAILABLE = "unavailable"  # the service did not answer usably: nobody's mistake


@dataclass(frozen=True)
class Lookup:
    point: tuple[float, float] | None = None  # (latitude, longitude)
    failure: str = ""  # NOT_FOUND or UNAVAILABLE when point is None


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    approximate: bool
    # Set when the address or town given was not found and the pole was placed at the
    # chef-lieu of its first department instead: NOT_FOUND or UNAVAILABLE.
    failure: str = ""
    query: str = ""


def lookup(query: str, *, postcode: str = "") -> Lookup:
    url = getattr(settings, "ADDRESS_API_URL", "")
    query = (query or "").strip()
    if not url:
        return Lookup(failure=UNAVAILABLE)
    if len(query) < 3:
        return Lookup(failure=NOT_FOUND)
    params: dict[str, str | int] = {"q": query[:200], "limit": 1}
    if postcode:
        params["postcode"] = postcode.strip()
    try:
        response = requests.get(url, params=params, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        payload = response.json()
        features = payload["features"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        logger.warning("Address API unavailable for %r (%s)", query, exc.__class__.__name__)
        return Lookup(failure=UNAVAILABLE)
    try:
        feature = features[0]
        score = float(feature.get("properties", {}).get("score", 1))
        longitude, latitude = (float(v) for v in feature["geometry"]["coordinates"][:2])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return Lookup(failure=NOT_FOUND)
    if score < MIN_SCORE or not is_in_france(latitude, longitude):
        return Lookup(failure=NOT_FOUND)
    return Lookup(point=(latitude, longitude))


def geocode(query: str, *, postcode: str = "") -> tuple[float, float] | None:
    """(latitude, longitude) of the best match, or None (API disabled, unreachable, no or poor
    match, or a point outside France)."""
    return lookup(query, postcode=postcode).point


def locate(*, address: str, postcode: str, town: str, departments) -> Location | None:
    """Where to place a pole: the address API's answer when there is an address or a town (a
    street address is exact, a town alone approximate); else, or when the lookup failed (the
    Location says why), the chef-lieu of the first department (approximate); None when
    nothing is known. With the API disabled (ADDRESS_API_URL empty) the chef-lieu is used
    without calling it a failure."""
    query = " ".join(part for part in (address, postcode, town) if part)
    failure = ""
    if query and getattr(settings, "ADDRESS_API_URL", ""):
        found = lookup(query, postcode=postcode)
        if found.point:
            return Location(found.point[0], found.point[1], approximate=not bool(address))
        failure = found.failure
    if departments:
        first = departments[0]
        return Location(first.latitude, first.longitude, True, failure=failure, query=query)
    return None


def failure_message(location: Location, *, chef_lieu: str = "", placed: bool = True) -> str:
    """What the person is told when their address or town was not found (`placed`: the pole
    was placed at the chef-lieu; else they are asked to check what they typed)."""
    values = {"query": location.query, "chef_lieu": chef_lieu or _("non renseigné")}
    if location.failure == UNAVAILABLE and not placed:
        return (
            _(
                "Le service national des adresses (Géoplateforme de l'IGN) ne répond pas : "
                "l'adresse n'a pas pu être vérifiée. Réessayez dans quelques minutes, ou placez "
                "le pôle pour l'instant au chef-lieu de son département (%(chef_lieu)s)."
            )
            % values
        )
    if location.failure == UNAVAILABLE:
        return (
            _(
                "Le service national des adresses (Géoplateforme de l'IGN) ne répond pas : le "
                "pôle est placé pour l'instant au chef-lieu de son département (%(chef_lieu)s). "
                "Vous pourrez corriger sa position en modifiant la fiche du pôle."
            )
            % values
        )
    if placed:
        return (
            _(
                "L'adresse « %(query)s » n'a pas été trouvée dans la Base Adresse Nationale : le "
                "pôle est placé au chef-lieu de son département (%(chef_lieu)s). Vérifiez "
                "l'adresse dans la fiche du pôle."
            )
            % values
        )
    return (
        _(
            "L'adresse « %(query)s » n'a pas été trouvée dans la Base Adresse Nationale : "
            "vérifiez l'adresse, le code postal et la commune."
        )
        % values
    )
