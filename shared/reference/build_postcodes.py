"""Derive the bundled postal-code and district tables from the GeoNames CSV.

Usage: ``python -m shared.reference.build_postcodes /path/to/plz_de_geonames.csv [out_dir]``

Source: GeoNames postal codes (CC BY 4.0, geonames.org) via
zauberware/postal-codes-json-xml-csv (2024-06-18); see NOTICE.

``postcodes.csv`` has one row per postal code; the rules keep it reproducible:

* district: the district (5-digit key of Landkreis / kreisfreie Stadt) with the most
  rows of the code; ties go to the district of the code's main place (below).
* place: among the rows of that district, the name that most rows equal or extend by a
  word (GeoNames lists town parts as "Schkopau Korbetha", so "Schkopau" covers them);
  ties go to the name listed first in the source.
* lat/lon: the mean of all of the code's rows, rounded to 5 decimals.
* 87491 Jungholz (a Tyrolean village served by the German post) has no district or
  state in the source and keeps those fields empty.

``districts.csv`` lists every district of the source, including the two kreisfreie
Städte (Landau in der Pfalz, Schwabach) that are never a code's majority district.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
POSTCODE_FIELDS = (
    "postcode",
    "place",
    "lat",
    "lon",
    "district_code",
    "district",
    "state",
    "state_code",
)
DISTRICT_FIELDS = ("district_code", "district", "state", "state_code")

Row = dict[str, str]


def read_source(path: Path) -> dict[str, list[Row]]:
    """Group the stripped source rows by postal code, keeping the file order."""
    groups: dict[str, list[Row]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(fh):
            row = {key: (value or "").strip() for key, value in raw.items()}
            groups.setdefault(row["zipcode"], []).append(row)
    return groups


def main_place(rows: Sequence[Row]) -> str:
    """The municipality name that covers most rows; the first listed wins ties."""
    names = [row["place"] for row in rows]

    def coverage(name: str) -> int:
        return sum(1 for other in names if other == name or other.startswith(name + " "))

    # max() keeps the first of equal scores, which is the source's order.
    return max(names, key=coverage)


def main_district(rows: Sequence[Row]) -> str:
    """The district key with the most rows; ties go to the main place's district."""
    counts = Counter(row["community_code"] for row in rows)
    best = max(counts.values())
    tied = [code for code, n in counts.items() if n == best]
    if len(tied) == 1:
        return tied[0]
    place = main_place([row for row in rows if row["community_code"] in tied])
    return next(r["community_code"] for r in rows if r["place"] == place)


def mean(values: Iterable[str]) -> str:
    """Arithmetic mean of decimal strings with 5 decimals (about 1 m)."""
    numbers = [float(v) for v in values]
    return f"{sum(numbers) / len(numbers):.5f}"


def derive(postcode: str, rows: Sequence[Row]) -> Row:
    """One output row for one postal code."""
    code = main_district(rows)
    in_district = [row for row in rows if row["community_code"] == code]
    ref = in_district[0]
    return {
        "postcode": postcode,
        "place": main_place(in_district),
        "lat": mean(r["latitude"] for r in rows),
        "lon": mean(r["longitude"] for r in rows),
        "district_code": code,
        "district": ref["community"],
        "state": ref["state"],
        "state_code": ref["state_code"],
    }


def district_rows(groups: dict[str, list[Row]]) -> list[Row]:
    """Every district of the source once, sorted by key."""
    found: dict[str, Row] = {}
    for rows in groups.values():
        for row in rows:
            if row["community_code"]:
                found.setdefault(
                    row["community_code"],
                    {
                        "district_code": row["community_code"],
                        "district": row["community"],
                        "state": row["state"],
                        "state_code": row["state_code"],
                    },
                )
    return [found[code] for code in sorted(found)]


def write_csv(path: Path, fields: Sequence[str], rows: Iterable[Row]) -> None:
    """Write UTF-8 CSV with Unix newlines so rebuilds diff cleanly."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build(source: Path, out_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Write both tables; returns the numbers of postal codes and districts."""
    groups = read_source(source)
    out_dir.mkdir(parents=True, exist_ok=True)
    postcodes = [derive(code, groups[code]) for code in sorted(groups)]
    districts = district_rows(groups)
    write_csv(out_dir / "postcodes.csv", POSTCODE_FIELDS, postcodes)
    write_csv(out_dir / "districts.csv", DISTRICT_FIELDS, districts)
    return len(postcodes), len(districts)


def main(argv: Sequence[str]) -> int:
    """Command-line entry point."""
    if len(argv) not in (1, 2):
        print(f"usage: python -m {__spec__.name} SOURCE_CSV [OUT_DIR]", file=sys.stderr)
        return 2
    out_dir = Path(argv[1]) if len(argv) == 2 else DATA_DIR
    codes, districts = build(Path(argv[0]), out_dir)
    print(f"wrote {codes} postal codes and {districts} districts to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
