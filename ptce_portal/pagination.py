"""The one pagination of the portal: `paginate` in the view, `components/_pagination.html`
in the template (its links keep the page's other parameters through `{% querystring %}`)."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAMETER = "page"


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int) -> Page:
    """The page the request asks for (`?page=`); a malformed or out-of-range number gives a
    real page (the first or the last), never an error."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))
