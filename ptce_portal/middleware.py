from django.conf import settings
from django.shortcuts import render


class MaintenanceModeMiddleware:
    """Answer 503 with the French maintenance page while MAINTENANCE_MODE is on.

    The health check stays reachable so that monitoring sees the real state.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MAINTENANCE_MODE and not request.path.startswith(("/sante/", "/static/")):
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "600"
            return response
        return self.get_response(request)
