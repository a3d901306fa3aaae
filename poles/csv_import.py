"""CSV import of poles by staff: a dry run first (a report, nothing written), then the import
of the same content in one transaction. The columns are those of the CSV export."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ptce_portal.exports import csv_cell_restore

from .models import Department, Pole, Theme, is_in_france
from .services import pole_record_edit, unique_pole_slug

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
REQUIRED_COLUMNS = {"nom", "departements"}
WRITABLE_COLUMNS = {
    "slug",
    "nom",
    "structure_porteuse",
    "statut",
    "maturite",
    "departements",
    "territoire",
    "commune",
    "latitude",
    "longitude",
    "coordonnees_approximatives",
    "themes",
    "site_web",
    "description_courte",
    "publie",
}
# Columns of the export that are computed: accepted in the file, not imported.
# Read-only columns of the export: `sources` says where the portal's facts come from; an
# import does not set it.
IGNORED_COLUMNS = {
    "url",
    "region",
    "ancienne_region",
    "laureat",
    "date_signature_charte",
    "sources",
}
TRUE_VALUES = {"oui", "o", "vrai", "true", "1", "x", "yes"}
FALSE_VALUES = {"non", "n", "faux", "false", "0", "", "no"}


@dataclass
class RowResult:
    line: int
    name: str
    slug: str = ""
    action: str = ""  # "create" | "update"
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and all(not row.errors for row in self.rows) and bool(self.rows)

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.action == "create" and not row.errors)

    @property
    def to_update(self) -> int:
        return sum(1 for row in self.rows if row.action == "update" and not row.errors)

    @property
    def rows_with_errors(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ValueError(
            _("Le fichier dépasse la taille maximale (%(max)s Ko).") % {"max": MAX_BYTES // 1000}
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (octet illisible en position %(pos)s). "
                "Dans votre tableur, enregistrez-le en « CSV UTF-8 »."
            )
            % {"pos": exc.start}
        ) from exc


def _department_code(value: str) -> str:
    value = value.strip().upper()
    return value.zfill(2) if value.isdigit() and len(value) == 1 else value


def _float(value: str):
    value = value.strip().replace(",", ".")
    if not value:
        return None
    return float(value)


def _bool(value: str, default: bool) -> bool:
    value = value.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return default if value == "" else False
    raise ValueError(value)


def _choice(value: str, choices) -> str:
    value = value.strip()
    for code, label in choices:
        if value.lower() in (code.lower(), str(label).lower()):
            return code
    raise ValueError(value)


def parse(raw: bytes) -> ImportReport:
    report = ImportReport()
    try:
        text = decode(raw)
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header or (len(header) == 1 and "," in header[0]):
        report.errors.append(
            _(
                "Colonnes illisibles : le séparateur attendu est le point-virgule (;), "
                "comme dans l'export."
            )
        )
        return report
    reader.fieldnames = header
    unknown = [h for h in header if h not in WRITABLE_COLUMNS | IGNORED_COLUMNS]
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        report.errors.append(
            _("Colonnes obligatoires manquantes : %(cols)s.") % {"cols": ", ".join(missing)}
        )
    if unknown:
        report.errors.append(
            _("Colonnes inconnues : %(cols)s. Colonnes possibles : %(allowed)s.")
            % {"cols": ", ".join(unknown), "allowed": ", ".join(sorted(WRITABLE_COLUMNS))}
        )
    if report.errors:
        return report
    report.ignored_columns = [h for h in header if h in IGNORED_COLUMNS]

    departments = {d.code: d.pk for d in Department.objects.all()}
    themes = {}
    for theme in Theme.objects.all():
        themes[theme.slug] = theme.pk
        themes[theme.name.lower()] = theme.pk
    existing = dict(Pole.objects.values_list("slug", "pk"))
    seen_slugs = set()

    for index, row in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            report.errors.append(_("Trop de lignes : %(max)s au maximum.") % {"max": MAX_ROWS})
            break
        if None in row:
            result = RowResult(line=index, name=(row.get("nom") or "").strip())
            result.errors.append(_("Plus de valeurs que de colonnes."))
            report.rows.append(result)
            continue
        values = {k: csv_cell_restore((v or "").strip()) for k, v in row.items()}
        if not any(values.values()):
            continue
        result = RowResult(line=index, name=values.get("nom", ""))
        report.rows.append(result)
        data: dict = {}
        if not result.name:
            result.errors.append(_("Le nom est obligatoire."))
        elif len(result.name) > 200:
            result.errors.append(_("Le nom dépasse 200 caractères."))
        data["name"] = result.name
        slug = slugify(values.get("slug", ""))
        if values.get("slug") and slug != values["slug"]:
            result.errors.append(
                _("Identifiant (slug) invalide : « %(s)s ».") % {"s": values["slug"]}
            )
        if slug in seen_slugs:
            result.errors.append(
                _("Le slug « %(s)s » apparaît deux fois dans le fichier.") % {"s": slug}
            )
        if slug:
            seen_slugs.add(slug)
        result.slug = slug
        result.action = "update" if slug and slug in existing else "create"

        raw_codes = values.get("departements", "").replace("/", ",").split(",")
        codes = [_department_code(c) for c in raw_codes if c.strip()]
        unknown_codes = [c for c in codes if c not in departments]
        if not codes:
            result.errors.append(_("Au moins un département est obligatoire (code, ex. 44)."))
        elif unknown_codes:
            result.errors.append(
                _("Département(s) inconnu(s) : %(c)s.") % {"c": ", ".join(unknown_codes)}
            )
        data["departments"] = [departments[c] for c in codes if c in departments]
        data["department_codes"] = codes

        for column, attr, choices, default in (
            ("statut", "status", Pole.Status.choices, Pole.Status.IDENTIFIED),
            ("maturite", "maturity", Pole.Maturity.choices, Pole.Maturity.UNKNOWN),
        ):
            raw_value = values.get(column, "")
            if not raw_value:
                data[attr] = default
                continue
            try:
                data[attr] = _choice(raw_value, choices)
            except ValueError:
                result.errors.append(
                    _("Valeur inconnue pour « %(col)s » : « %(v)s » (possibles : %(ok)s).")
                    % {"col": column, "v": raw_value, "ok": ", ".join(c for c, _l in choices)}
                )
        try:
            latitude = _float(values.get("latitude", ""))
            longitude = _float(values.get("longitude", ""))
        except ValueError:
            result.errors.append(_("Latitude ou longitude illisible (nombre décimal attendu)."))
            latitude = longitude = None
        else:
            if (latitude is None) != (longitude is None):
                result.errors.append(_("Indiquez la latitude et la longitude, ou aucune des deux."))
            elif latitude is not None and not is_in_france(latitude, longitude):
                result.errors.append(
                    _("Coordonnées hors de France : %(lat)s ; %(lon)s.")
                    % {"lat": latitude, "lon": longitude}
                )
        data["latitude"], data["longitude"] = latitude, longitude
        for column, attr, default in (
            ("coordonnees_approximatives", "coordinates_approximate", True),
            ("publie", "is_published", False),
        ):
            try:
                data[attr] = _bool(values.get(column, ""), default)
            except ValueError:
                result.errors.append(_("« %(col)s » : oui ou non attendu.") % {"col": column})
        theme_names = [t.strip() for t in values.get("themes", "").split(",") if t.strip()]
        unknown_themes = [t for t in theme_names if t.lower() not in themes]
        if unknown_themes:
            result.errors.append(
                _("Thème(s) inconnu(s) : %(t)s.") % {"t": ", ".join(unknown_themes)}
            )
        data["themes"] = [themes[t.lower()] for t in theme_names if t.lower() in themes]
        for column, attr, limit in (
            ("structure_porteuse", "carrier_structure", 200),
            ("territoire", "territory_label", 200),
            ("commune", "town", 120),
            ("site_web", "website", 200),
            ("description_courte", "short_description", 300),
        ):
            if column in values:
                if len(values[column]) > limit:
                    result.errors.append(
                        _("« %(col)s » dépasse %(n)s caractères.") % {"col": column, "n": limit}
                    )
                data[attr] = values[column]
        result.data = data
    if not report.rows and not report.errors:
        report.errors.append(_("Le fichier ne contient aucune ligne de données."))
    return report


SIMPLE_FIELDS = [
    "name",
    "status",
    "maturity",
    "latitude",
    "longitude",
    "coordinates_approximate",
    "is_published",
    "carrier_structure",
    "territory_label",
    "town",
    "website",
    "short_description",
]


def _values(pole: Pole) -> dict:
    """What an import may change of an existing pole, to tell which fields it changed."""
    fields = (*SIMPLE_FIELDS, "region_id", "former_region_id")
    values = {attr: getattr(pole, attr) for attr in fields}
    values["departments"] = set(pole.departments.values_list("pk", flat=True))
    values["themes"] = set(pole.themes.values_list("pk", flat=True))
    return values


@transaction.atomic
def apply(report: ImportReport, *, by) -> tuple[int, int]:
    """Write a report that has no error, all rows or none. The facts `by` (staff) changed on
    existing poles are theirs now (poles.services.pole_record_edit), as in the change form."""
    if not report.ok:
        raise ValueError("The import report has errors.")
    departments = {d.pk: d for d in Department.objects.select_related("region", "former_region")}
    created = updated = 0
    for row in report.rows:
        data = row.data
        pole = Pole.objects.filter(slug=row.slug).first() if row.slug else None
        before = None
        if pole is None:
            pole = Pole(slug=row.slug or unique_pole_slug(data["name"]))
            created += 1
        else:
            before = _values(pole)
            updated += 1
        for attr in SIMPLE_FIELDS:
            if attr in data:
                setattr(pole, attr, data[attr])
        first = departments[data["departments"][0]]
        pole.region, pole.former_region = first.region, first.former_region
        if pole.latitude is None:
            pole.latitude, pole.longitude, pole.coordinates_approximate = (
                first.latitude,
                first.longitude,
                True,
            )
        pole.full_clean()
        pole.save()
        pole.departments.set(data["departments"])
        pole.themes.set(data["themes"])
        if before is not None:
            after = _values(pole)
            changed = [key.removesuffix("_id") for key in after if after[key] != before[key]]
            pole_record_edit(pole=pole, by=by, fields=changed)
    return created, updated
