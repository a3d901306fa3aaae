"""The query of /ressources/: the search text and the chosen facet values, read leniently
(an unknown or malformed value is dropped, never an error; lists are bounded)."""

from django.http import QueryDict

from .models import ResourceKind
from .selectors import Criteria

MAX_VALUES = 20
MAX_TEXT = 200


def criteria_from(query: QueryDict) -> Criteria:
    text = " ".join(str(query.get("q", "")).split())[:MAX_TEXT]

    def values(name: str, limit: int = 100) -> tuple[str, ...]:
        found: list[str] = []
        for value in query.getlist(name):
            value = value.strip()[:limit]
            if value and value not in found:
                found.append(value)
        return tuple(found[:MAX_VALUES])

    return Criteria(
        text=text,
        kinds=tuple(v for v in values("type") if v in ResourceKind.values),
        themes=values("theme"),
        objectives=tuple(int(v) for v in values("objective", 9) if v.isdigit()),
        regions=values("region", 60),
    )
