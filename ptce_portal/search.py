"""Accent- and case-insensitive search that an index can serve.

PostgreSQL's `unaccent()` is only STABLE (its dictionary could change), so no index may use
it, and `field__unaccent__icontains` reads every row. The portal folds text with its own
IMMUTABLE wrapper, `ptce_unaccent(text)` (created by the poles' migration
`0009_search_indexes`), and indexes the folded expression (trigrams):

    SEARCH_TEXT = Folded(Concat("name", Value(" "), "town", output_field=TextField()))
    # Meta.indexes: GinIndex(OpClass(SEARCH_TEXT, name="gin_trgm_ops"), name=…)
    Pole.objects.alias(search=SEARCH_TEXT).filter(search__contains=folded("Écooparc"))

The query names the same expression as the index, so PostgreSQL uses the index; the query's
value is folded once (a constant), not per row. (Not a GeneratedField: its system check
needs a database connection, and `check --deploy` runs without one.)
"""

from django.db.models import Func, TextField, Value
from django.db.models.functions import Lower

FUNCTION = "ptce_unaccent"
# Schema-qualified: a restore (pg_restore runs with an empty search_path) rebuilds the
# indexes with it.
CREATE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""
DROP_FUNCTION_SQL = f"DROP FUNCTION IF EXISTS {FUNCTION}(text)"


class Folded(Func):
    """`ptce_unaccent(lower(expression))`: immutable, so an index may hold it."""

    function = FUNCTION
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(Lower(expression), **extra)


def folded(text: str) -> Folded:
    """A searched value folded the way the indexed expressions are."""
    return Folded(Value(text, output_field=TextField()))
