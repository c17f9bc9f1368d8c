"""Derive the bundled competence, occupation and occupation–skill tables from ESCO and KldB.

Usage: ``python -m shared.reference.build_catalogues SOURCE_ROOT [OUT_DIR]``, where
SOURCE_ROOT holds ``esco/v1.1.1-en/``, ``esco/v1.2.1-de/`` and
``kldb/kldb2010_v2020_titles.csv`` (see NOTICE for sources and terms).

Outputs (UTF-8, Unix newlines, rows sorted by id, so a rebuild gives identical bytes):

* ``competences.csv`` — ``id,label_en,label_de,skill_type,reuse_level``: every ESCO v1.1.1
  skill; id is the UUID of the skill URI. German labels come from the v1.2.1 skill
  collections (about 2,200 skills); the others keep only the English label. The five DigComp
  competence areas without a skill type in the source are recorded as ``skill/competence``.
* ``occupations.csv`` — ``id,title_de,title_en,isco_group,alt_labels``: the ESCO occupations
  of v1.1.1 and v1.2.1 (id = UUID; a side with no entry leaves its title empty) and the
  five-digit KldB 2010 codes (id = code, KldB short title as alternative label).
  ``alt_labels`` holds ESCO's German alternative labels, sorted, joined by `` | ``.
* ``occupation_skills.csv.gz`` — ``occupation,essential,optional``: per ESCO occupation the
  space-separated, sorted UUIDs of its essential and optional skills (gzip, no timestamp).
  Relations of occupations that no occupations file lists are dropped.

The hub's own codes (``hub_competences.csv``) and the regions (``regions.csv``) are
maintained by hand; the build checks that every hub code's ESCO skill exists.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from shared.reference.tables import LABEL_SEPARATOR, read_rows, shorten

DATA_DIR = Path(__file__).parent / "data"
Row = dict[str, str]


def read_csv(path: Path) -> list[Row]:
    """All rows of a source CSV as dicts."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def german_skill_labels(esco_de: Path) -> dict[str, str]:
    """German preferred labels of the skill collections, by skill URI."""
    labels: dict[str, str] = {}
    for path in sorted(esco_de.glob("*SkillsCollection_de.csv")):
        for row in read_csv(path):
            labels.setdefault(row["conceptUri"], row["preferredLabel"].strip())
    return labels


def competence_rows(esco_en: Path, esco_de: Path) -> list[Row]:
    """One row per ESCO skill."""
    german = german_skill_labels(esco_de)
    rows = [
        {
            "id": shorten(row["conceptUri"]),
            "label_en": row["preferredLabel"].strip(),
            "label_de": german.get(row["conceptUri"], ""),
            "skill_type": row["skillType"] or "skill/competence",
            "reuse_level": row["reuseLevel"],
        }
        for row in read_csv(esco_en / "skills_en.csv")
    ]
    return sorted(rows, key=lambda row: row["id"])


def _labels(field: str, title: str) -> str:
    labels = {label.strip() for label in field.split("\n")} - {"", title}
    if any(LABEL_SEPARATOR.strip() in label for label in labels):
        raise ValueError(f"label contains the separator: {sorted(labels)}")
    return LABEL_SEPARATOR.join(sorted(labels))


def esco_occupation_rows(esco_en: Path, esco_de: Path) -> list[Row]:
    """One row per ESCO occupation of either version."""
    english = {row["conceptUri"]: row for row in read_csv(esco_en / "occupations_en.csv")}
    german = {row["conceptUri"]: row for row in read_csv(esco_de / "occupations_de.csv")}
    rows = []
    for uri in english.keys() | german.keys():
        en, de = english.get(uri), german.get(uri)
        title_de = de["preferredLabel"].strip() if de else ""
        rows.append(
            {
                "id": shorten(uri),
                "title_de": title_de,
                "title_en": en["preferredLabel"].strip() if en else "",
                "isco_group": (en or de or {}).get("iscoGroup", ""),
                "alt_labels": _labels(de["altLabels"], title_de) if de else "",
            }
        )
    return rows


def kldb_rows(titles: Path) -> list[Row]:
    """One row per five-digit KldB 2010 code."""
    return [
        {
            "id": row["kldb_code"],
            "title_de": row["title"].strip(),
            "title_en": "",
            "isco_group": "",
            "alt_labels": _labels(row["short_title"], row["title"].strip()),
        }
        for row in read_csv(titles)
        if row["level"] == "5"
    ]


def relation_rows(esco_en: Path, occupation_ids: set[str]) -> list[Row]:
    """Per occupation, its essential and optional skill UUIDs."""
    skills: dict[str, dict[str, set[str]]] = {}
    for row in read_csv(esco_en / "occupationSkillRelations.csv"):
        occupation = shorten(row["occupationUri"])
        if occupation in occupation_ids:
            kinds = skills.setdefault(occupation, {"essential": set(), "optional": set()})
            kinds[row["relationType"]].add(shorten(row["skillUri"]))
    return [
        {kind: " ".join(sorted(uuids)) for kind, uuids in skills[occ].items()} | {"occupation": occ}
        for occ in sorted(skills)
    ]


def csv_text(fields: Sequence[str], rows: Iterable[Row]) -> str:
    """CSV with Unix newlines so rebuilds diff cleanly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def check_hub_codes(out_dir: Path, skill_ids: set[str]) -> None:
    """Fail if a hub code maps to an ESCO skill that the catalogue lacks."""
    for key, *_, esco in read_rows(out_dir / "hub_competences.csv"):
        if esco and shorten(esco) not in skill_ids:
            raise ValueError(f"{key} maps to unknown ESCO skill {esco}")


def build(root: Path, out_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write the three tables; returns their row counts."""
    esco_en, esco_de = root / "esco" / "v1.1.1-en", root / "esco" / "v1.2.1-de"
    competences = competence_rows(esco_en, esco_de)
    esco_occupations = esco_occupation_rows(esco_en, esco_de)
    occupations = sorted(
        esco_occupations + kldb_rows(root / "kldb" / "kldb2010_v2020_titles.csv"),
        key=lambda row: row["id"],
    )
    relations = relation_rows(esco_en, {row["id"] for row in esco_occupations})
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "competences.csv").write_text(
        csv_text(("id", "label_en", "label_de", "skill_type", "reuse_level"), competences),
        encoding="utf-8",
    )
    (out_dir / "occupations.csv").write_text(
        csv_text(("id", "title_de", "title_en", "isco_group", "alt_labels"), occupations),
        encoding="utf-8",
    )
    text = csv_text(("occupation", "essential", "optional"), relations)
    # mtime=0 keeps the gzip header, and so the file, identical across rebuilds.
    (out_dir / "occupation_skills.csv.gz").write_bytes(
        gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    )
    if (out_dir / "hub_competences.csv").is_file():
        check_hub_codes(out_dir, {row["id"] for row in competences})
    return {
        "competences": len(competences),
        "occupations": len(occupations),
        "relations": sum(
            len(row["essential"].split()) + len(row["optional"].split()) for row in relations
        ),
    }


def main(argv: Sequence[str]) -> int:
    """Command-line entry point."""
    if len(argv) not in (1, 2):
        print(f"usage: python -m {__spec__.name} SOURCE_ROOT [OUT_DIR]", file=sys.stderr)
        return 2
    out_dir = Path(argv[1]) if len(argv) == 2 else DATA_DIR
    counts = build(Path(argv[0]), out_dir)
    print(" ".join(f"{name}={n}" for name, n in counts.items()), f"written to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
