"""Reads of the charter domain (query counts stay flat: related rows are joined or
prefetched). Other apps (poles, events) call `validated_signature_for_pole` and
`validated_signatures_on`."""

import functools
import re
from datetime import date

from django.db import connection
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Collate

from poles import selectors as pole_selectors
from poles.models import Department, PoleCoordinator

from .models import (
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    CODE_PATTERN,
    CharterItem,
    CharterSection,
    CharterVersion,
    Signature,
)
from .permissions import can_decide_signatures

_CODE_RE = re.compile(rf"^{CODE_PATTERN}$")


def _with_text(queryset: QuerySet[CharterVersion]) -> QuerySet[CharterVersion]:
    return queryset.prefetch_related(
        Prefetch(
            "sections",
            queryset=CharterSection.objects.order_by("order").prefetch_related(
                Prefetch("items", queryset=CharterItem.objects.order_by("order"))
            ),
        ),
        "countersignatures",
    )


def current_version() -> CharterVersion | None:
    return _with_text(CharterVersion.objects.filter(is_current=True)).first()


def current_version_number() -> CharterVersion | None:
    """The current version without its text (sections, items, countersignatures): for pages
    that only name it, one query instead of four."""
    return CharterVersion.objects.filter(is_current=True).first()


def published_version(number: int) -> CharterVersion | None:
    return _with_text(
        CharterVersion.objects.filter(number=number, published_at__isnull=False)
    ).first()


def published_versions() -> QuerySet[CharterVersion]:
    return CharterVersion.objects.filter(published_at__isnull=False).annotate(
        validated_count=Count("signatures", filter=Q(signatures__status="validated"))
    )


def version_with_text(version: CharterVersion) -> CharterVersion:
    return _with_text(CharterVersion.objects.filter(pk=version.pk)).get()


# Typed from paper: any case, with dashes (of any kind), spaces or nothing between the groups;
# Crockford's reading of the letters the codes never use (O is 0, I and L are 1).
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._]+")
_CODE_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_code(code: str) -> str | None:
    """The canonical form (XXXX-XXXX-XXXX-XXXX) of a verification code typed or scanned, or
    None if it cannot be one."""
    symbols = _CODE_SEPARATORS.sub("", (code or "").upper()).translate(_CODE_LOOKALIKES)
    if len(symbols) != CODE_GROUPS * CODE_GROUP_LENGTH:
        return None
    code = "-".join(
        symbols[i : i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)
    )
    return code if _CODE_RE.match(code) else None


def signature_by_code(code: str) -> Signature | None:
    normalized = normalize_code(code)
    if normalized is None:
        return None
    return (
        Signature.objects.select_related("pole", "version", "signer", "validated_by")
        .filter(verification_code=normalized)
        .first()
    )


def validated_signature_for_pole(pole) -> Signature | None:
    """The pole's validated signature of the most recent version, or None.
    It has `signed_on`, `version.number`, `version.title` and `verification_code`."""
    return (
        Signature.objects.filter(pole=pole, status=Signature.Status.VALIDATED)
        .select_related("version")
        .order_by("-version__number", "-signed_on")
        .first()
    )


def validated_signatures_on(day: date) -> QuerySet[Signature]:
    """Validated signatures dated `day` (e.g. a national day), with their poles."""
    return (
        Signature.objects.filter(
            status=Signature.Status.VALIDATED,
            signed_on=day,
            consent_publication=True,
            pole__is_published=True,
        )
        .select_related("pole", "pole__region", "pole__former_region", "version")
        .order_by("register_number", "pole__name")
    )


@functools.cache
def _has_french_collation() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'fr-x-icu'")
        return cursor.fetchone() is not None


def _french(expression):
    """Sort in French order (« Île-de-France » among the I) when PostgreSQL has ICU."""
    return Collate(expression, "fr-x-icu") if _has_french_collation() else expression


SORTS = {
    "numero": ("register_number", "pole__name"),
    "region": ("region_label", "register_number"),
    "pole": ("pole_sort_name",),
    "date": ("signed_on", "register_number"),
}


def public_signatures(*, region=None, version=None, sort: str = "numero") -> QuerySet[Signature]:
    """The public list of signatories, like Annex 3: validated, consented, published poles.

    `region` filters on the pole's current or former (pre-2016) region; `sort` is one of
    SORTS, prefixed by "-" for descending order."""
    queryset = (
        Signature.objects.filter(
            status=Signature.Status.VALIDATED,
            consent_publication=True,
            pole__is_published=True,
        )
        .select_related("pole", "pole__region", "pole__former_region", "version")
        .prefetch_related(
            Prefetch("pole__departments", queryset=Department.objects.order_by("code"))
        )
        .annotate(
            region_label=_french(Coalesce("pole__former_region__name", "pole__region__name")),
            pole_sort_name=_french(F("pole__name")),
        )
    )
    if region is not None:
        queryset = queryset.filter(Q(pole__region=region) | Q(pole__former_region=region))
    if version is not None:
        queryset = queryset.filter(version=version)
    if sort.lstrip("-") not in SORTS:
        sort = "numero"
    descending = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")]
    order = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in fields
    ]
    return queryset.order_by(*order, "pk")


def signatures_of_user(user) -> QuerySet[Signature]:
    """Signatures the user made or that concern a pole they coordinate."""
    if not user.is_authenticated:
        return Signature.objects.none()
    return (
        Signature.objects.filter(
            Q(signer=user)
            | Q(
                pole__coordinators__user=user,
                pole__coordinators__status=PoleCoordinator.Status.APPROVED,
            )
        )
        .select_related("pole", "version")
        .distinct()
        .order_by("-created_at")
    )


def pending_signatures() -> QuerySet[Signature]:
    return (
        Signature.objects.filter(status=Signature.Status.SUBMITTED)
        .select_related("pole", "version", "signer", "pole__region")
        .prefetch_related("pole__departments")
        .order_by("created_at")
    )


def with_possible_duplicates(signatures) -> list[Signature]:
    """The signatures (a page of the validation queue), each with `same_name_poles`: the other
    published or pending poles named like its pole."""
    signatures = list(signatures)
    duplicates = pole_selectors.poles_with_same_names([s.pole for s in signatures])
    for signature in signatures:
        signature.same_name_poles = duplicates.get(signature.pole_id, [])
    return signatures


def recent_decisions(limit: int = 20) -> QuerySet[Signature]:
    return (
        Signature.objects.exclude(status=Signature.Status.SUBMITTED)
        .filter(signer__isnull=False)
        .select_related("pole", "version", "validated_by")
        .order_by("-updated_at")[:limit]
    )


def pending_withdrawals() -> QuerySet[Signature]:
    """Validated signatures whose withdrawal a coordinator asked for, oldest request first."""
    return (
        Signature.objects.filter(
            status=Signature.Status.VALIDATED, withdrawal_requested_at__isnull=False
        )
        .select_related("pole", "version", "withdrawal_requested_by")
        .order_by("withdrawal_requested_at")
    )


def signatory_count() -> int:
    return (
        Signature.objects.filter(status=Signature.Status.VALIDATED, pole__is_published=True)
        .values("pole")
        .distinct()
        .count()
    )


# --- Staff dashboard (/admin/) -----------------------------------------------------------------


def staff_queues() -> list:
    """Charter signatures waiting for validation, oldest first (2 queries)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ptce_portal.backoffice import QueueItem, build_queue

    queue_url = reverse("charter:validation")
    return [
        build_queue(
            Signature.objects.filter(status=Signature.Status.SUBMITTED).select_related("version"),
            date_field="created_at",
            item=lambda signature: QueueItem(
                label=signature.pole_name,
                detail=_("version %(number)s, fait à %(place)s")
                % {"number": signature.version.number, "place": signature.place},
                since=signature.created_at,
                url=f"{queue_url}#sig-{signature.pk}",
            ),
            key="signatures",
            title=_("Signatures de la charte à valider"),
            help_text=_("Signatures envoyées en ligne, en attente de validation ou de refus."),
            url=queue_url,
            link_label=_("Valider ou refuser les signatures"),
            permission="charter.change_signature",
            predicate=can_decide_signatures,
        ),
        build_queue(
            pending_withdrawals(),
            date_field="withdrawal_requested_at",
            item=lambda signature: QueueItem(
                label=signature.pole_name,
                detail=_("retrait demandé par %(by)s")
                % {"by": signature.withdrawal_requested_by or "—"},
                since=signature.withdrawal_requested_at,
                url=f"{queue_url}#retrait-{signature.pk}",
            ),
            key="withdrawals",
            title=_("Retraits de signature demandés"),
            help_text=_("Le pôle reste signataire jusqu'à ce que l'équipe accepte le retrait."),
            url=queue_url,
            link_label=_("Accepter ou refuser les retraits"),
            permission="charter.change_signature",
            predicate=can_decide_signatures,
        ),
    ]


def signatory_counts_by_region(kind: str) -> list[tuple[str, int]]:
    """Poles with a validated signature, per region of `kind` (poles.Region.Kind: current or
    former), every region of that kind included (0 when none), most signatories first; poles
    without a region come last as « Région non renseignée ». Two queries."""
    from django.utils.translation import gettext as _

    from poles.models import Region

    field = "pole__region" if kind == Region.Kind.CURRENT else "pole__former_region"
    counts = dict(
        Signature.objects.filter(status=Signature.Status.VALIDATED)
        .order_by()
        .values(field)
        .annotate(poles=Count("pole", distinct=True))
        .values_list(field, "poles")
    )
    rows = [
        (region.name, counts.get(region.pk, 0))
        for region in Region.objects.filter(kind=kind).only("pk", "name").order_by("name")
    ]
    rows.sort(key=lambda row: -row[1])  # stable: regions with the same count stay in name order
    if counts.get(None):
        rows.append((_("Région non renseignée"), counts[None]))
    return rows


def signatories_by_year(*, until: int | None = None) -> list[tuple[int, int, int]]:
    """(year, poles that signed for the first time that year, signatory poles in total by the
    end of that year) for every year from the first signature to `until` (default: this
    year). A pole counts once, in the year of its first validated signature. One query."""
    first_years = (
        Signature.objects.filter(status=Signature.Status.VALIDATED)
        .order_by()
        .values("pole")
        .annotate(first=Min("signed_on"))
        .values_list("first", flat=True)
    )
    per_year: dict[int, int] = {}
    for first in first_years:
        per_year[first.year] = per_year.get(first.year, 0) + 1
    if not per_year:
        return []
    from django.utils import timezone

    last = max(until or timezone.localdate().year, max(per_year))
    rows, total = [], 0
    for year in range(min(per_year), last + 1):
        total += per_year.get(year, 0)
        rows.append((year, per_year.get(year, 0), total))
    return rows


# --- The 2014 list as printed ------------------------------------------------------------------


def printed_2014_by_pole() -> dict[str, dict]:
    """Annex 3 of the 2014 report exactly as printed (region, departments, « Nom du PTCE
    (structure porteuse) »), by pole slug (charter/data/signatories_2014.yaml)."""
    from .seed import signatories_2014

    return {row["slug"]: row for row in signatories_2014()}


def with_printed_2014(signatures) -> list[Signature]:
    """The signatures, each 2014 one carrying `printed_2014`: its line of annex 3 as printed,
    shown beside today's normalised values (region, departments, pole name)."""
    printed = printed_2014_by_pole()
    rows = list(signatures)
    for signature in rows:
        signature.printed_2014 = (
            printed.get(signature.pole.slug) if signature.signed_at_national_day_2014 else None
        )
    return rows
