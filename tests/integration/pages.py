"""The page sets that the browser and markup tests walk, read from the permission matrix
(tests/integration/test_permission_matrix.py): a page joins a set when the matrix expects a
200 for that set's person. A route added to the matrix is walked with no change here.

- public: what the public (anonymous) opens;
- coordinator: what the coordinator of pole X opens;
- staff: what staff (and a regional coordination) open that the two sets above do not,
  among them the staff dashboard (/admin/) and the admin's pages of the portal's own apps
  (Django's own apps and allauth's are left out): each model's list, add and change pages,
  and one model's delete, history and audit log pages (ADMIN_GENERIC).

Files (PDF, CSV, iCalendar, JSON) are not pages: FILES leaves them out by their route's name
(a test that meets a file among the pages leaves it out and names it)."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib import admin

from tests.integration.test_permission_matrix import ROLES, targets

FILES = re.compile(
    r"csv|pdf|json|:ics|:api_|proceedings|certificate|personal_data_export|^health$|autosave"
    r"|:map_points|:attachment|^admin:jsi18n$|^admin:autocomplete$"
)
# The set -> the roles (matrix columns) whose pages it holds, each page opened as the first
# role of the set that may open it.
SETS = {
    "public": ("anonymous",),
    "coordinator": ("coordinator",),
    "staff": ("staff", "regional"),
}


def own_admin_labels() -> set[str]:
    """App labels whose admin pages the portal writes: a model admin defined in the project
    (audit's admin of django-auditlog's log entries included), not in a dependency."""
    base = Path(settings.BASE_DIR).resolve()
    labels = set()
    for model, model_admin in admin.site._registry.items():
        module = __import__(type(model_admin).__module__, fromlist=["_"])
        source = Path(module.__file__ or "").resolve()
        if source.is_relative_to(base) and ".venv" not in source.parts:
            labels.add(model._meta.app_label)
    return labels


def _admin_page_of_own_app(key: str, url: str, labels: set[str]) -> bool:
    if key == "admin:index":
        return True  # the staff dashboard
    match = re.match(r"^/admin/([^/]+)/", url)
    return bool(match and match.group(1) in labels)


# The admin's pages that are the same for every model (Django's confirmation and history
# templates): one model's page stands for all.
ADMIN_GENERIC = re.compile(r"^admin:\w+_(delete|history|auditlog)$")


def page_sets(world) -> dict[str, list[tuple[str, str, str]]]:
    """set -> [(matrix key, url, role who opens it)], in the matrix's key order. The public
    and coordinator sets both keep a page open to both (the header differs); the staff set
    holds only what neither of them opens."""
    found, _missing = targets(world)
    labels = own_admin_labels()
    result: dict[str, list[tuple[str, str, str]]] = {name: [] for name in SETS}
    generic_seen: set[str] = set()
    for key, (url, expected) in sorted(found.items()):
        if expected is None or FILES.search(key):
            continue
        if key.startswith("admin:") and not _admin_page_of_own_app(key, url, labels):
            continue
        if (generic := ADMIN_GENERIC.match(key)) and generic.group(1) in generic_seen:
            continue
        tokens = dict(zip(ROLES, expected.split(), strict=True))
        shown = False  # in the public or coordinator set
        for name, roles in SETS.items():
            role = next((r for r in roles if tokens[r] == "200"), None)
            if role is None:
                continue
            if name == "staff" and shown:
                continue
            result[name].append((key, url, role))
            shown = shown or name in ("public", "coordinator")
            if generic and name == "staff":
                generic_seen.add(generic.group(1))
    return result
