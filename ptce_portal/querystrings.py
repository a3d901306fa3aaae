"""Links that keep a page's filters."""

from django.http import HttpRequest


def querystring_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without the parameters `names` (e.g. "page"), encoded."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
