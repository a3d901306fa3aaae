"""French full-text search of the resources.

`Resource.search_vector` is written by the database: a trigger (migration 0001) computes, on
every insert and update, the French text search vector of the title (weight A), summary (B)
and body (C), each folded like the portal's other searches (`ptce_unaccent(lower(…))`,
ptce_portal.search), so « cooperation » finds « coopération » and « coopérations ». A GIN
index serves the match; the query is folded the same way and parsed as a web search
(words, "quoted phrases", -excluded words).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from ptce_portal.search import folded

CONFIG = "french"
FUNCTION = "resources_resource_search_vector"

_FOLD = "public.ptce_unaccent(lower(coalesce(NEW.{field}, '')))"
CREATE_TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.{CONFIG}', {_FOLD.format(field="title")}), 'A')
        || setweight(to_tsvector('pg_catalog.{CONFIG}', {_FOLD.format(field="summary")}), 'B')
        || setweight(to_tsvector('pg_catalog.{CONFIG}', {_FOLD.format(field="body")}), 'C');
    RETURN NEW;
END
$$;
CREATE TRIGGER {FUNCTION} BEFORE INSERT OR UPDATE ON resources_resource
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""
DROP_TRIGGER_SQL = f"""
DROP TRIGGER IF EXISTS {FUNCTION} ON resources_resource;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def search_query(text: str) -> SearchQuery:
    return SearchQuery(folded(text), config=CONFIG, search_type="websearch")


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The resources of `queryset` that match `text`, with their `rank` (not ordered)."""
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
