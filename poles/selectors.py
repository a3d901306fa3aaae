"""Reads of the poles domain. Every list here runs a fixed number of queries."""

from collections.abc import Mapping
from typing import Any, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    Exists,
    Field,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext as _

from ptce_portal.backoffice import QueueItem, build_queue

from .models import (
    CallForProjects,
    Department,
    FactSource,
    Pole,
    PoleCoordinator,
    PoleMember,
    PoleRevision,
    Region,
    Source,
)
from .permissions import can_moderate_poles, can_view_pole


def poles_coordinated_by(user) -> QuerySet[Pole]:
    """Poles for which `user` is an approved coordinator."""
    if not user.is_authenticated:
        return Pole.objects.none()
    return Pole.objects.filter(
        coordinators__user=user, coordinators__status=PoleCoordinator.Status.APPROVED
    ).distinct()


def poles_signable_by(user) -> QuerySet[Pole]:
    """Poles `user` may sign the charter for: the ones they coordinate, and the ones they
    proposed or asked to coordinate (staff then answer the request with the signature).
    Each carries `coordination_status` ("approved" or "requested")."""
    if not user.is_authenticated:
        return Pole.objects.none()
    coordination = PoleCoordinator.objects.filter(
        pole=OuterRef("pk"),
        user=user,
        status__in=[PoleCoordinator.Status.APPROVED, PoleCoordinator.Status.REQUESTED],
    )
    return (
        Pole.objects.filter(Exists(coordination))
        .annotate(coordination_status=Subquery(coordination.values("status")[:1]))
        .select_related("region")
        .prefetch_related("departments")
    )


def poles_with_same_name(name: str, *, exclude_pk: int | None = None) -> list[Pole]:
    """Published poles, and unpublished ones waiting for staff, whose name is `name` up to
    case, accents and spacing: a proposal that may be a duplicate."""
    name = " ".join((name or "").split())
    if not name:
        return []
    pending = PoleCoordinator.objects.filter(
        pole=OuterRef("pk"), status=PoleCoordinator.Status.REQUESTED
    )
    poles = (
        Pole.objects.filter(name__unaccent__iexact=name)
        .filter(Q(is_published=True) | Exists(pending))
        .select_related("region")
        .order_by("-is_published", "name")
    )
    if exclude_pk is not None:
        poles = poles.exclude(pk=exclude_pk)
    return list(poles[:5])


def poles_with_same_names(poles) -> dict[int, list[Pole]]:
    """For each of `poles` (a list), the other published or pending poles with the same name
    up to case and accents: {pole id: [poles]}, in a fixed number of queries."""
    from django.contrib.postgres.lookups import Unaccent
    from django.db.models import F
    from django.db.models.functions import Lower

    ids = [pole.pk for pole in poles]
    if not ids:
        return {}
    keyed = Pole.objects.annotate(same_name_key=Lower(Unaccent(F("name"))))
    keys = dict(keyed.filter(pk__in=ids).values_list("pk", "same_name_key"))
    pending = PoleCoordinator.objects.filter(
        pole=OuterRef("pk"), status=PoleCoordinator.Status.REQUESTED
    )
    by_key: dict[str, list[Pole]] = {}
    for other in (
        keyed.filter(same_name_key__in=set(keys.values()))
        .filter(Q(is_published=True) | Exists(pending))
        .select_related("region")
        .order_by("-is_published", "name")
    ):
        by_key.setdefault(other.same_name_key, []).append(other)
    return {pk: [p for p in by_key.get(key, []) if p.pk != pk] for pk, key in keys.items()}


# --- Directory, map, open data -----------------------------------------------------------------


def _department_list() -> ArraySubquery:
    """The pole's departments as [{"code", "name"}], ordered by code."""
    links = Pole.departments.through.objects.filter(pole=OuterRef("pk"))
    return ArraySubquery(
        links.order_by("department__code").values(
            item=JSONObject(code="department__code", name="department__name")
        )
    )


def _theme_list() -> ArraySubquery:
    """The pole's themes as [{"name", "slug"}], in the themes' order."""
    links = Pole.themes.through.objects.filter(pole=OuterRef("pk"))
    return ArraySubquery(
        links.order_by("theme__position", "theme__name").values(
            item=JSONObject(name="theme__name", slug="theme__slug")
        )
    )


def _source_list() -> ArraySubquery:
    """The pole's fact sources as [{"fact", "kind", "citation", "part", "inference",
    "entered_on"}]: the open data's source column and property."""
    rows = FactSource.objects.filter(pole=OuterRef("pk")).order_by("fact")
    return ArraySubquery(
        rows.values(
            item=JSONObject(
                fact="fact",
                kind="kind",
                title="source__title",
                short_title="source__short_title",
                publisher="source__publisher",
                date_label="source__date_label",
                url="source__url",
                part="part",
                inference="inference",
                entered_on="entered_on",
            )
        )
    )


def published_poles() -> QuerySet[Pole]:
    """Published poles with what lists show: regions, laureate flag, and the departments and
    themes as `department_list` / `theme_list` (lists of dicts). Annotations rather than
    prefetches: for the map and the open data (2,000 poles and more) a prefetch builds a model
    instance per link and a related manager per pole, which took most of the response time
    (`make bench`)."""
    return (
        Pole.objects.filter(is_published=True)
        .select_related("region", "former_region")
        .annotate(
            is_laureate=Exists(
                CallForProjects.laureates.through.objects.filter(pole=OuterRef("pk"))
            ),
            department_list=_department_list(),
            theme_list=_theme_list(),
            source_list=_source_list(),
        )
        .order_by("name", "pk")
    )


def map_poles(queryset: QuerySet[Pole]) -> QuerySet[Pole]:
    """The poles the map shows: published signatories that have coordinates."""
    return queryset.filter(
        status=Pole.Status.SIGNATORY, latitude__isnull=False, longitude__isnull=False
    )


def region_counts(queryset: QuerySet[Pole]) -> list[Mapping[str, Any]]:
    """Number of poles per current region, for the table beside the map."""
    return list(
        queryset.order_by()
        .values("region__code", "region__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("region__name")
    )


def pole_detail(*, slug: str, user=None) -> Pole | None:
    """The pole of the public page, with everything the page shows. Unpublished poles are
    visible to staff and to the pole's coordinators only."""
    queryset = Pole.objects.select_related("region", "former_region").prefetch_related(
        Prefetch(
            "departments", queryset=Department.objects.select_related("region", "former_region")
        ),
        "themes",
        Prefetch("calls_won", queryset=CallForProjects.objects.order_by("year")),
        Prefetch("members", queryset=PoleMember.objects.order_by("category", "name")),
        Prefetch("fact_sources", queryset=FactSource.objects.select_related("source")),
    )
    pole = queryset.filter(slug=slug).first()
    if pole is None:
        return None
    if not can_view_pole(user, pole):
        return None
    return pole


def pole_get(slug: str, *, published_only: bool = False) -> Pole | None:
    """The pole with this slug (only if published, with `published_only`); None when there
    is none (the selectors' not-found convention: the view answers 404)."""
    queryset = Pole.objects.filter(is_published=True) if published_only else Pole.objects.all()
    return queryset.filter(slug=slug).first()


def coordination_request_get(pk: int) -> PoleCoordinator | None:
    """A coordinator request (or coordination) with its pole; None when there is none."""
    return PoleCoordinator.objects.select_related("pole").filter(pk=pk).first()


def pole_revision_get(pk: int) -> PoleRevision | None:
    """A proposed edit of a pole with its pole; None when there is none."""
    return PoleRevision.objects.select_related("pole").filter(pk=pk).first()


def member_counts(pole: Pole) -> list[dict]:
    """Members per article 9 category (all categories, zero included), from prefetched members."""
    counts = dict.fromkeys(PoleMember.Category.values, 0)
    for member in pole.members.all():
        counts[member.category] += 1
    return [
        {"category": value, "label": label, "count": counts[value]}
        for value, label in PoleMember.Category.choices
    ]


def home_figures() -> dict:
    stats = Pole.objects.filter(is_published=True).aggregate(
        signatories=Count("pk", filter=Q(status=Pole.Status.SIGNATORY)),
        regions=Count("region", distinct=True, filter=Q(status=Pole.Status.SIGNATORY)),
    )
    figures = {
        "signatory_poles": {
            "value": stats["signatories"],
            "label": _("pôles signataires de la charte"),
        },
        # Today's regions (13 metropolitan + overseas since 2016), not the 2014 list's.
        "regions": {
            "value": stats["regions"],
            "label": _("régions d'aujourd'hui représentées"),
        },
    }
    first_call = CallForProjects.objects.filter(laureates_count__isnull=False).order_by("year")
    call = first_call.first()
    if call:
        figures["laureates"] = {
            "value": call.laureates_count,
            "label": _("lauréats de l'appel à projets %(year)s") % {"year": call.year},
        }
    return figures


# --- Coordinators ------------------------------------------------------------------------------


def coordinations_of(user) -> QuerySet[PoleCoordinator]:
    return PoleCoordinator.objects.filter(user=user).select_related("pole").order_by("pole__name")


def pending_revisions(pole: Pole) -> QuerySet[PoleRevision]:
    return pole.revisions.filter(status=PoleRevision.Status.PENDING)


def location_failure_display(pole: Pole) -> str:
    """Why the last address lookup of `pole` failed, as said to people ("" when it did not),
    read fresh from the database (1 query)."""
    failure = Pole.objects.filter(pk=pole.pk).values_list("location_failure", flat=True).first()
    return str(Pole.LocationFailure(failure).label) if failure else ""


def pending_picture_kinds(pole: Pole) -> set[str]:
    """The pictures ("logo", "photo") of `pole` proposed and waiting for staff (1 query)."""
    return set(
        pending_revisions(pole)
        .filter(data__has_key="picture")
        .values_list("data__picture__kind", flat=True)
    )


def pending_coordination_requests() -> QuerySet[PoleCoordinator]:
    return PoleCoordinator.objects.filter(status=PoleCoordinator.Status.REQUESTED).select_related(
        "pole", "user"
    )


def _in_regions(region_ids, prefix: str = "pole__") -> Q:
    return Q(**{f"{prefix}region_id__in": region_ids}) | Q(
        **{f"{prefix}former_region_id__in": region_ids}
    )


def _proposed_objects(revisions) -> dict:
    """{m2m field: {pk: object}} for the pks the pending edits propose (one query per field)."""
    from .models import PROFILE_M2M_FIELDS

    objects = {}
    for field in PROFILE_M2M_FIELDS:
        pks = {pk for revision in revisions for pk in revision.data.get(field) or []}
        model = cast("type[Model]", Pole._meta.get_field(field).related_model)
        objects[field] = model._default_manager.in_bulk(pks) if pks else {}
    return objects


def _verbose_name(field: str) -> Any:
    return cast("Field[Any, Any]", Pole._meta.get_field(field)).verbose_name


def revision_changes(revision: PoleRevision, proposed_objects: dict | None = None) -> list[tuple]:
    """(field label, current value, proposed value) for each field a pending edit changes.
    With the pole's departments, themes and members prefetched and `proposed_objects`
    (_proposed_objects), it runs no query."""
    from .models import PROFILE_FIELDS, PROFILE_M2M_FIELDS

    pole, data = revision.pole, revision.data
    picture = revision.proposed_picture
    if picture is not None:
        kind = picture["kind"]
        current_alt = getattr(pole, f"{kind}_alt")
        proposed_text = (
            _("nouvelle image ; texte alternatif : %(alt)s") % {"alt": picture["alt"]}
            if picture["url"]
            else _("texte alternatif : %(alt)s") % {"alt": picture["alt"]}
        )
        return [(picture["label"], current_alt or "—", proposed_text)]
    if proposed_objects is None:
        proposed_objects = _proposed_objects([revision])
    rows = []
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        current, proposed = getattr(pole, field), data[field]
        if current != proposed:
            rows.append((_verbose_name(field), current, proposed))
    for field in PROFILE_M2M_FIELDS:
        if field not in data:
            continue
        related = list(getattr(pole, field).all())
        current = sorted(obj.pk for obj in related)
        if current != sorted(data[field]):
            known = proposed_objects.get(field, {})
            proposed = sorted(
                (known[pk] for pk in data[field] if pk in known), key=lambda obj: str(obj)
            )
            rows.append(
                (
                    _verbose_name(field),
                    ", ".join(map(str, related)),
                    ", ".join(map(str, proposed)),
                )
            )
    if "members" in data:
        current = sorted((m.name, m.category) for m in pole.members.all())
        proposed = sorted((m["name"], m["category"]) for m in data["members"])
        if current != proposed:
            rows.append(
                (
                    _("membres"),
                    "; ".join(name for name, _c in current),
                    "; ".join(name for name, _c in proposed),
                )
            )
    return rows


def regions_by_ids(region_ids) -> list[Region]:
    return list(Region.objects.filter(pk__in=list(region_ids)).order_by("kind", "name"))


def regional_moderation_queue(region_ids) -> dict:
    """What waits for the regional coordination of these regions (current or former): pending
    coordinator requests and pending pole edits of their poles, oldest first (7 queries
    whatever the number of pending items, 9 with proposed poles: the differences are computed
    from prefetched data)."""
    region_ids = list(region_ids)
    if not region_ids:
        return {"requests": [], "revisions": []}
    requests = (
        pending_coordination_requests()
        .filter(_in_regions(region_ids))
        .select_related("pole__region", "pole__former_region")
        .order_by("requested_at")
    )
    revisions = list(
        PoleRevision.objects.filter(_in_regions(region_ids), status=PoleRevision.Status.PENDING)
        .select_related("pole__region", "pole__former_region", "proposed_by")
        .prefetch_related("pole__departments", "pole__themes", "pole__members")
        .order_by("created_at")
    )
    proposed_objects = _proposed_objects(revisions)
    for revision in revisions:
        revision.changes = revision_changes(revision, proposed_objects)  # type: ignore[attr-defined]
    request_list = list(requests)
    # A proposed (unpublished) pole named like a published or pending one: a possible duplicate.
    proposals = [r.pole for r in request_list if not r.pole.is_published]
    duplicates = poles_with_same_names(proposals)
    for request in request_list:
        request.same_name_poles = duplicates.get(request.pole_id, [])  # type: ignore[attr-defined]
    return {"requests": request_list, "revisions": revisions}


def regional_pending_counts(region_ids) -> dict:
    """How many coordinator requests and pole edits wait for the regional coordination of
    these regions (2 count queries, whatever the size of the queue)."""
    region_ids = list(region_ids)
    if not region_ids:
        return {"requests": 0, "revisions": 0, "total": 0}
    requests = (
        PoleCoordinator.objects.filter(
            _in_regions(region_ids), status=PoleCoordinator.Status.REQUESTED
        )
        .order_by()
        .count()
    )
    revisions = (
        PoleRevision.objects.filter(_in_regions(region_ids), status=PoleRevision.Status.PENDING)
        .order_by()
        .count()
    )
    return {"requests": requests, "revisions": revisions, "total": requests + revisions}


# --- Staff dashboard (/admin/) -----------------------------------------------------------------


def staff_queues() -> list:
    """Coordinator requests and profile edits waiting for staff, oldest first (4 queries)."""
    coordination = build_queue(
        pending_coordination_requests(),
        date_field="requested_at",
        item=lambda request: QueueItem(
            label=request.pole.name,
            detail=str(request.user),
            since=request.requested_at,
            url=reverse("admin:poles_polecoordinator_change", args=[request.pk]),
        ),
        key="coordinations",
        title=_("Demandes de coordination"),
        help_text=_("Personnes qui demandent à coordonner un pôle ou qui en proposent un."),
        url=reverse("admin:poles_polecoordinator_changelist") + "?status__exact=requested",
        link_label=_("Traiter les demandes de coordination"),
        permission="poles.change_polecoordinator",
        predicate=can_moderate_poles,
    )
    review = build_queue(
        PoleRevision.objects.filter(status=PoleRevision.Status.PENDING).select_related(
            "pole", "proposed_by"
        ),
        date_field="created_at",
        item=lambda revision: QueueItem(
            label=revision.pole.name,
            detail=str(revision.proposed_by) if revision.proposed_by else "",
            since=revision.created_at,
            url=reverse("admin:poles_polerevision_change", args=[revision.pk]),
        ),
        key="revisions",
        title=_("Modifications de fiches à relire"),
        help_text=_("Changements proposés par les coordinateurs de pôles sous relecture."),
        url=reverse("admin:poles_polerevision_changelist") + "?status__exact=pending",
        link_label=_("Relire les modifications"),
        permission="poles.change_polerevision",
        predicate=can_moderate_poles,
    )
    return [coordination, review]


# --- Sources -----------------------------------------------------------------------------------


def pole_fact_sources(pole: Pole) -> dict[str, FactSource]:
    """{fact: FactSource} of a pole from pole_detail's prefetch: the notes beside its facts."""
    return {fact_source.fact: fact_source for fact_source in pole.fact_sources.all()}


def sources_page() -> dict[str, Any]:
    """The /sources/ page: every document with the published facts it supports, the
    inferences by reasoning, and the calls for projects with their sources."""
    documents = list(
        Source.objects.prefetch_related(
            Prefetch(
                "facts",
                queryset=FactSource.objects.filter(pole__is_published=True)
                .select_related("pole")
                .order_by("pole__signatory_number", "pole__name", "fact"),
            )
        )
    )
    inferences = (
        FactSource.objects.filter(kind=FactSource.Kind.INFERENCE, pole__is_published=True)
        .select_related("pole")
        .order_by("pole__signatory_number", "pole__name", "fact")
    )
    return {
        "documents": documents,
        "inferences": list(inferences),
        "calls": list(CallForProjects.objects.order_by("year")),
    }
