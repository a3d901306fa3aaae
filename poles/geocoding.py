"""Geocoding through the national address API (api-adresse.data.gouv.fr), with a fallback
to the chef-lieu of the pole's first department. Never raises on network trouble."""

import logging

import requests
from django.conf import settings

from .models import is_in_france

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3
MIN_SCORE = 0.4


def geocode(query: str, *, postcode: str = "") -> tuple[float, float] | None:
    """(latitude, longitude) of the best match, or None (API disabled, unreachable, no or poor
    match, or a point outside France)."""
    url = getattr(settings, "ADDRESS_API_URL", "")
    query = (query or "").strip()
    if not url or len(query) < 3:
        return None
    params = {"q": query[:200], "limit": 1}
    if postcode:
        params["postcode"] = postcode.strip()
    try:
        response = requests.get(url, params=params, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        payload = response.json()
        feature = payload["features"][0]
        score = float(feature.get("properties", {}).get("score", 1))
        longitude, latitude = (float(v) for v in feature["geometry"]["coordinates"][:2])
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError) as exc:
        logger.info("Address API: no usable answer for %r (%s)", query, exc.__class__.__name__)
        return None
    if score < MIN_SCORE or not is_in_france(latitude, longitude):
        return None
    return latitude, longitude


def locate(
    *, address: str, postcode: str, town: str, departments
) -> tuple[float, float, bool] | None:
    """(latitude, longitude, approximate) for a pole: the address API's answer when there is an
    address or a town (a street address is exact, a town alone approximate), else the chef-lieu
    of the first department (approximate); None when nothing is known."""
    query = " ".join(part for part in (address, postcode, town) if part)
    if query:
        found = geocode(query, postcode=postcode)
        if found:
            return found[0], found[1], not bool(address)
    if departments:
        first = departments[0]
        return first.latitude, first.longitude, True
    return None
