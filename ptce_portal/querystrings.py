"""Links that keep a page's filters."""

from urllib.parse import urlencode

from django.http import HttpRequest


def querystring_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without the parameters `names` (e.g. "page"), encoded."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def querystring_without_empty(request: HttpRequest) -> str | None:
    """The request's query string without its empty parameters (a filter form submitted as
    it is sends every field), encoded; None when no parameter is empty."""
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    kept = [(name, value) for name, value in pairs if value.strip()]
    if len(kept) == len(pairs):
        return None
    return urlencode(kept)
