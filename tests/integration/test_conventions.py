"""Guards of the conventions that have one way (docs/architecture.md): read from the source,
so that a new view, list or chart that goes its own way fails here."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("poles", "charter", "referential", "events", "observatory")
FOUNDATION = ("ptce_portal", "audit")


def _python(*packages: str, skip_migrations: bool = True):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if skip_migrations and "migrations" in path.parts:
                continue
            yield path


def _views():
    for app in (*DOMAINS, "portal", "ptce_portal"):
        for path in _python(app):
            if path.name.startswith("views") or "views" in path.parent.name:
                yield path


def _templates():
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        if ".venv" not in path.parts:
            yield path
    yield from sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", list(_views()), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_find_one_object_through_a_selector_that_returns_none(path):
    """Not found: the selector returns None, the view answers 404 (never get_object_or_404,
    get_list_or_404 nor a `.get()` of its own that raises DoesNotExist)."""
    source = path.read_text()
    assert "get_object_or_404" not in source and "get_list_or_404" not in source
    assert not re.search(r"\.objects\.get\(", source)
    assert "DoesNotExist" not in source


def test_one_pagination_component():
    """Every paginated list goes through ptce_portal.pagination.paginate and the one
    template component; no view builds its own page range, no template its own links."""
    for path in _views():
        source = path.read_text()
        assert "Paginator(" not in source, path
        assert "get_elided_page_range" not in source, path
    users = []
    for path in _templates():
        text = path.read_text()
        if "page.has_next" in text or "next_page_number" in text:
            assert path.name == "_pagination.html", path
        if 'include "components/_pagination.html"' in text:
            users.append(path.parent.parent.parent.name)
    assert {"poles", "charter", "events", "referential"} <= set(users)


def test_one_chart_style():
    """Every chart is drawn by ptce_portal.charts from its templates: no SVG markup built in
    Python elsewhere, no chart stylesheet of an app's own."""
    for path in _python(*DOMAINS, "portal"):
        source = path.read_text()
        assert "<svg" not in source and "<polygon" not in source, path
    for path in _templates():
        text = path.read_text()
        if "<svg" in text and "charts" not in str(path):
            assert 'aria-hidden="true"' in text and "<rect" not in text, path


@pytest.mark.parametrize("path", list(_python(*FOUNDATION)), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_foundation_names_no_domain_app(path):
    source = path.read_text()
    for app in (*DOMAINS, "portal"):
        assert not re.search(rf"(from|import)\s+{app}\b", source), app
        assert not re.search(rf"""["']{app}[.:"']""", source), app
    assert "import_module(" not in source
    assert "get_model(" not in source or "contributions" in source or "audited" in source
