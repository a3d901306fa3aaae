"""Reads of the resource centre: the public search with its facets, a resource's page, the
author's list, the moderation queue. Each is a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from poles.models import Pole, Region, Theme
from ptce_portal.backoffice import QueueItem, StaffQueue, build_queue
from referential.models import PrincipalObjective

from . import search
from .models import Attachment, Resource, ResourceKind, ResourceStatus
from .permissions import can_moderate


def published() -> QuerySet[Resource]:
    return Resource.objects.filter(status=ResourceStatus.PUBLISHED)


@dataclass(frozen=True)
class Criteria:
    """What the visitor asked on /ressources/ (already validated by the filter form)."""

    text: str = ""
    themes: tuple[str, ...] = ()  # Theme slugs
    objectives: tuple[int, ...] = ()  # PrincipalObjective ids
    regions: tuple[str, ...] = ()  # Region codes (of the poles involved)
    kinds: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.themes or self.objectives or self.regions or self.kinds)


def _filtered(criteria: Criteria, *, without: str | None = None) -> QuerySet[Resource]:
    """Published resources matching every criterion except `without` (a facet counts the
    resources the OTHER criteria leave: choosing a value never hides its siblings)."""
    queryset = published()
    if criteria.text:
        queryset = queryset.filter(search_vector=search.search_query(criteria.text))
    if criteria.themes and without != "themes":
        queryset = queryset.filter(themes__slug__in=criteria.themes)
    if criteria.objectives and without != "objectives":
        queryset = queryset.filter(objectives__in=criteria.objectives)
    if criteria.regions and without != "regions":
        queryset = queryset.filter(
            poles__region__code__in=criteria.regions, poles__is_published=True
        )
    if criteria.kinds and without != "kinds":
        queryset = queryset.filter(kind__in=criteria.kinds)
    return queryset


def search_results(criteria: Criteria) -> QuerySet[Resource]:
    """The page's results: ranked by relevance when there is a text, else newest first;
    distinct ids first (the many-to-many filters would repeat rows), then the resources with
    what a card shows."""
    ids = _filtered(criteria).values("pk")
    queryset = Resource.objects.filter(pk__in=ids)
    if criteria.text:
        queryset = search.matching(queryset, criteria.text).order_by("-rank", "-published_at", "pk")
    else:
        queryset = queryset.order_by("-published_at", "pk")
    # A subquery (not a join and a GROUP BY): the paginator's count leaves it out.
    attachments = (
        Attachment.objects.filter(resource=OuterRef("pk"))
        .order_by()
        .values("resource")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.defer("body", "search_vector")
        .annotate(attachment_count=Coalesce(Subquery(attachments), 0))
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch(
                "poles",
                queryset=Pole.objects.filter(is_published=True).only("pk", "name", "slug"),
            ),
        )
    )


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    group: str = ""


def _counts(queryset: QuerySet[Resource], field: str) -> dict[Any, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return {key: n for key, n in rows if key is not None}


def _link_counts(queryset: QuerySet[Any], field: str, *, distinct: bool = False) -> dict[Any, int]:
    rows = (
        queryset.order_by()
        .values(field)
        .annotate(n=Count("resource_id", distinct=distinct))
        .values_list(field, "n")
    )
    return {key: n for key, n in rows if key is not None}


def facets(criteria: Criteria) -> dict[str, list[FacetValue]]:
    """Each facet's values with the number of resources they would give (4 count queries and
    the labels: themes, objectives of the published referential, regions, kinds). Values with
    no resource are left out, unless chosen."""

    # Counted on the link tables, over the distinct ids the other criteria leave: a
    # (resource, theme) pair is unique, so no DISTINCT but for regions (two poles of one
    # region behind a resource count it once).
    def ids(without: str):
        return _filtered(criteria, without=without).values("pk")

    theme_counts = _link_counts(
        Resource.themes.through.objects.filter(resource__in=ids("themes")), "theme__slug"
    )
    objective_counts = _link_counts(
        Resource.objectives.through.objects.filter(resource__in=ids("objectives")),
        "principalobjective",
    )
    region_counts = _link_counts(
        Resource.poles.through.objects.filter(resource__in=ids("regions"), pole__is_published=True),
        "pole__region__code",
        distinct=True,
    )
    kind_counts = _counts(Resource.objects.filter(pk__in=ids("kinds")), "kind")

    themes = [
        FacetValue(t.slug, t.name, theme_counts.get(t.slug, 0), t.slug in criteria.themes)
        for t in Theme.objects.filter(
            Q(slug__in=list(theme_counts)) | Q(slug__in=criteria.themes)
        ).order_by("position", "name")
    ]
    objectives = [
        FacetValue(
            str(o.pk),
            str(o),
            objective_counts.get(o.pk, 0),
            o.pk in criteria.objectives,
            group=str(o.general),
        )
        for o in PrincipalObjective.objects.filter(
            Q(pk__in=list(objective_counts)) | Q(pk__in=criteria.objectives)
        ).select_related("general")
    ]
    regions = [
        FacetValue(r.code, r.name, region_counts.get(r.code, 0), r.code in criteria.regions)
        for r in Region.objects.filter(
            Q(code__in=list(region_counts)) | Q(code__in=criteria.regions)
        ).order_by("name")
    ]
    kinds = [
        FacetValue(value, str(label), kind_counts.get(value, 0), value in criteria.kinds)
        for value, label in ResourceKind.choices
        if kind_counts.get(value) or value in criteria.kinds
    ]
    return {"kinds": kinds, "themes": themes, "objectives": objectives, "regions": regions}


def resource_detail(slug: str) -> Resource | None:
    """A resource with what its page shows (the caller checks who may see it)."""
    return (
        Resource.objects.filter(slug=slug)
        .select_related("author")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch(
                "objectives",
                queryset=PrincipalObjective.objects.select_related("general", "version"),
            ),
            Prefetch(
                "poles",
                queryset=Pole.objects.filter(is_published=True).select_related("region"),
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
        )
        .first()
    )


def attachment_of(slug: str, pk: int) -> Attachment | None:
    return Attachment.objects.filter(pk=pk, resource__slug=slug).select_related("resource").first()


def resources_of_author(user) -> QuerySet[Resource]:
    return (
        Resource.objects.filter(author=user)
        .annotate(attachment_count=Count("attachments"))
        .order_by("-updated_at", "-pk")
    )


def pending() -> QuerySet[Resource]:
    """Resources waiting for staff, oldest first."""
    return (
        Resource.objects.filter(status=ResourceStatus.SUBMITTED)
        .select_related("author")
        .prefetch_related("themes", "poles", "objectives", "attachments")
        .order_by("submitted_at", "pk")
    )


def recent_decisions(limit: int = 10) -> QuerySet[Resource]:
    return (
        Resource.objects.filter(status__in=[ResourceStatus.PUBLISHED, ResourceStatus.REFUSED])
        .exclude(decided_by=None)
        .select_related("decided_by")
        .order_by("-updated_at", "-pk")[:limit]
    )


def published_for_objectives(objectives, limit: int | None = None) -> QuerySet[Resource]:
    """Published resources filed under any of these principal objectives (ids or objects),
    newest first (for peers and the referential's results page)."""
    ids = Resource.objects.filter(
        status=ResourceStatus.PUBLISHED, objectives__in=list(objectives)
    ).values("pk")
    queryset = Resource.objects.filter(pk__in=ids).order_by("-published_at", "pk")
    return queryset[:limit] if limit else queryset


def objective_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """The principal objectives of the current (latest published) referential, grouped by
    general objective, for the form."""
    version = (
        PrincipalObjective.objects.filter(version__published_at__isnull=False)
        .order_by("-version__published_at", "-version_id")
        .values_list("version_id", flat=True)
        .first()
    )
    if version is None:
        return []
    groups: dict[str, list[tuple[int, str]]] = {}
    for objective in PrincipalObjective.objects.filter(version_id=version).select_related(
        "general"
    ):
        groups.setdefault(str(objective.general), []).append((objective.pk, str(objective)))
    return list(groups.items())


def staff_queues() -> list[StaffQueue]:
    """Resources waiting for publication, oldest first (2 queries)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    queue_url = reverse("resources:moderation")
    return [
        build_queue(
            Resource.objects.filter(status=ResourceStatus.SUBMITTED),
            date_field="submitted_at",
            item=lambda resource: QueueItem(
                label=resource.title,
                detail=resource.get_kind_display(),
                since=resource.submitted_at,
                url=f"{queue_url}#res-{resource.pk}",
            ),
            key="resources",
            title=_("Ressources à publier"),
            help_text=_("Documents, outils et fiches d'expérience proposés par les coordinateurs."),
            url=queue_url,
            link_label=_("Publier ou refuser les ressources"),
            permission="resources.change_resource",
            predicate=can_moderate,
        )
    ]


def pending_count() -> int:
    return Resource.objects.filter(status=ResourceStatus.SUBMITTED).count()


def latest_published(limit: int) -> QuerySet[Resource]:
    return (
        published()
        .order_by("-published_at", "pk")
        .only("pk", "title", "slug", "kind", "published_at")[:limit]
    )
