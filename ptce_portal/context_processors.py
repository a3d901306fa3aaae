from django.conf import settings


def portal(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "DEMO_BANNER": settings.DEMO_BANNER,
    }
