"""Reading exports: CSV columns and nested competences, JSON Lines, keys, batches."""

from __future__ import annotations

import pytest

from operators.importing.kinds import Kind
from operators.importing.rows import FileFormatError, read_rows
from operators.importing.runner import BatchPolicy, check, plan

GMP = "http://data.europa.eu/esco/skill/13f22eb5-e3a8-405a-9d89-c8124d4a239a"
OCC = "http://data.europa.eu/esco/occupation/5b3ef95b-7d99-4af9-b2d0-41c6bc33f58c"
HEADER = "occupation,competences,postcode,radius_km,openings\n"


def test_csv_vacancy_with_nested_competences_becomes_the_api_body() -> None:
    text = HEADER + f'{OCC},"{GMP}|3|must; {GMP}|2",06237,40,\n'
    [row] = read_rows(text, Kind.VACANCIES, "csv")
    assert row.line == 2
    assert row.body == {
        "occupation": OCC,
        "competences": [
            {"competence_id": GMP, "min_level": "3", "importance": "must"},
            {"competence_id": GMP, "min_level": "2"},
        ],
        "postcode": "06237",
        "radius_km": "40",
    }
    assert check(row, Kind.VACANCIES) == []


def test_a_malformed_competence_and_an_invalid_cell_are_named_with_row_field_and_value() -> None:
    text = HEADER + f"{OCC},{GMP},06237,40,1\n{OCC},{GMP}|3,06237,-5,1\n"
    first, second = read_rows(text, Kind.VACANCIES, "csv")
    [bad_competence] = check(first, Kind.VACANCIES)
    assert (bad_competence.row, bad_competence.field, bad_competence.value) == (
        2, "competences[0]", GMP,
    )  # fmt: skip
    assert "competence_id|min_level|importance" in bad_competence.reason
    [bad_radius] = check(second, Kind.VACANCIES)
    assert (bad_radius.row, bad_radius.field, bad_radius.value) == (3, "radius_km", "-5")


def test_profile_columns_fill_lists_and_consent() -> None:
    header = "occupations,competences,postcode,radius_km,consent_given_at,consent_scope\n"
    text = header + f"{OCC};{OCC},{GMP}|4|certified,06258,30,2026-01-10T09:30:00+01:00,matching\n"
    [row] = read_rows(text, Kind.PROFILES, "csv")
    assert row.body["occupations"] == [OCC, OCC]
    assert row.body["consent"] == {"given_at": "2026-01-10T09:30:00+01:00", "scope": "matching"}
    assert row.body["competences"] == [
        {"competence_id": GMP, "level": "4", "evidence": "certified"}
    ]
    assert check(row, Kind.PROFILES) == []


def test_an_unknown_column_stops_the_file_before_anything_is_sent() -> None:
    with pytest.raises(FileFormatError, match="name"):
        read_rows("name,postcode\nMax,06237\n", Kind.VACANCIES, "csv")


def test_jsonl_lines_keep_their_line_numbers_and_bad_lines_are_rejected() -> None:
    text = '{"postcode": "06237"}\n\nnot json\n[1]\n'
    rows = read_rows(text, Kind.VACANCIES, "jsonl")
    assert [r.line for r in rows] == [1, 3, 4]
    assert rows[1].rejections[0].reason.startswith("not JSON")
    assert rows[2].rejections[0].reason == "not a JSON object"


def test_keys_depend_on_kind_line_and_content_only() -> None:
    a = read_rows(HEADER + f"{OCC},{GMP}|3,06237,40,1\n", Kind.VACANCIES, "csv")[0]
    again = read_rows(HEADER + f"{OCC},{GMP}|3,06237,40,1\n", Kind.VACANCIES, "csv")[0]
    moved = read_rows(HEADER + "\n" + f"{OCC},{GMP}|3,06237,40,1\n", Kind.VACANCIES, "csv")[0]
    assert a.key(Kind.VACANCIES) == again.key(Kind.VACANCIES)
    assert a.key(Kind.VACANCIES) != moved.key(Kind.VACANCIES)
    assert a.key(Kind.VACANCIES) != a.key(Kind.PROFILES)


def test_batches_respect_size_and_account_for_locally_rejected_rows() -> None:
    good = f"{OCC},{GMP}|3,06237,40,1\n"
    text = HEADER + good * 3 + f"{OCC},{GMP}|3,06237,x,1\n" + good * 2
    rows = read_rows(text, Kind.VACANCIES, "csv")
    batches = list(plan(rows, 1, Kind.VACANCIES, BatchPolicy(size=2)))
    # From index 1: two good rows; then the bad one travels with the next two good ones.
    assert [len(b.items) for b in batches] == [2, 2]
    assert [(b.end, b.span) for b in batches] == [(3, 2), (6, 3)]
    assert [r.row for b in batches for r in b.local] == [5]
