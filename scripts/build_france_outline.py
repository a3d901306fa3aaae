"""Build static/poles/france-departments.geojson, the map's fallback when no tile loads: the
outlines of metropolitan France's 96 departments, simplified (Douglas-Peucker) to about a
kilometre, coordinates rounded to 3 decimals, with each department's code and name.

Source: gregoiredavid/france-geojson, departements-version-simplifiee.geojson (IGN GEOFLA
2.2, 2016, names and codes from INSEE's COG 2016), under the Licence Ouverte (Etalab).

    python scripts/build_france_outline.py path/to/departements-version-simplifiee.geojson
"""

import json
import sys
from pathlib import Path

TOLERANCE = 0.012  # degrees, about 1 km
OUT = Path(__file__).resolve().parent.parent / "static" / "poles" / "france-departments.geojson"


def _distance(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = 0, 0.0
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring(points: list) -> list | None:
    simplified = [[round(x, 3), round(y, 3)] for x, y in simplify(points, TOLERANCE)]
    if simplified[0] != simplified[-1]:
        simplified.append(simplified[0])
    return simplified if len(simplified) >= 4 else None


def polygons(geometry) -> list:
    parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    result = []
    for polygon in parts:
        rings = [r for r in (ring(rg) for rg in polygon) if r]
        if rings:
            result.append(rings[:1])  # outer ring only: no lake or enclave holes at this scale
    return result


def main(source: str) -> None:
    data = json.loads(Path(source).read_text("utf-8"))
    features = []
    for feature in sorted(data["features"], key=lambda f: f["properties"]["code"]):
        parts = polygons(feature["geometry"])
        geometry = (
            {"type": "Polygon", "coordinates": parts[0]}
            if len(parts) == 1
            else {"type": "MultiPolygon", "coordinates": parts}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": feature["properties"]["code"],
                    "nom": feature["properties"]["nom"],
                },
                "geometry": geometry,
            }
        )
    document = {
        "type": "FeatureCollection",
        "source": "IGN GEOFLA 2.2 (2016) via github.com/gregoiredavid/france-geojson, "
        "simplifié par scripts/build_france_outline.py",
        "licence": "Licence Ouverte 2.0 (Etalab)",
        "features": features,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(f"{OUT.name}: {len(features)} departments, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
