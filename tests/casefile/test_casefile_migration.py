"""Schema-1 case files (rectflow 0.1) still load: migrated in memory, written as schema 2 only
when saved. ``tests/casefile/schema1/`` holds every example file 0.1 shipped, byte for byte."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import rectflow
import rectflow.strategies as rs
from rectflow import Case, Evidence, EvidenceKind, dumps_case, load_case, loads_case, save_case
from rectflow._casefile.document import READABLE_SCHEMAS, migrate_document
from rectflow.errors import CaseFileError

HERE = Path(__file__).resolve().parent
SCHEMA1 = sorted((HERE / "schema1").glob("*.toml"))
EXAMPLES = HERE.parents[1] / "examples" / "cases"


def test_the_0_1_examples_are_all_kept_as_fixtures() -> None:
    """One schema-1 file per bundled example, each really schema 1."""
    assert [p.name for p in SCHEMA1] == sorted(p.name for p in EXAMPLES.glob("*.toml"))
    for path in SCHEMA1:
        assert tomllib.loads(path.read_text(encoding="utf-8"))["schema"] == 1


@pytest.mark.parametrize("path", SCHEMA1, ids=lambda p: p.stem)
def test_every_0_1_example_loads_replays_and_round_trips(path: Path) -> None:
    """A schema-1 file loads, replays to itself, and what it becomes dumps as schema 2 and reads
    back equal."""
    case = load_case(path)
    assert rectflow.replay(case) == case
    text = dumps_case(case)
    assert tomllib.loads(text)["schema"] == 2
    assert loads_case(text) == case


@pytest.mark.parametrize("path", SCHEMA1, ids=lambda p: p.stem)
def test_a_0_1_example_is_the_same_case_as_the_bundled_schema_2_file(path: Path) -> None:
    """The bundled examples were moved to schema 2; the migration of the 0.1 file gives the
    same case, except that evidence strings are now evidence records (the synthetic example
    files its evidence with kinds, dates and references, which the 0.1 file could not hold)."""
    old = load_case(path)
    new = load_case(EXAMPLES / path.name)
    if path.stem.startswith("synthetic"):
        titles_old = [e.title for m in old.measures() for e in m.evidence]
        titles_new = [e.title for m in new.measures() for e in m.evidence]
        assert len(titles_old) == len(titles_new) > 0
        assert all(n in o for o, n in zip(titles_old, titles_new, strict=True))
        return
    assert old == new


def test_evidence_strings_become_evidence_titles_and_nothing_is_invented() -> None:
    """Each schema-1 string is the title of a document-kind, internal evidence record with no
    date, reference or author."""
    case = load_case(HERE / "schema1" / "synthetic-hongqiao-first-people-hospital.toml")
    raw = tomllib.loads(
        (HERE / "schema1" / "synthetic-hongqiao-first-people-hospital.toml").read_text("utf-8")
    )
    first = raw["categories"][0]["problems"][0]["measures"][0]
    measure = case.item(first["id"])
    assert measure.evidence == tuple(
        Evidence(title, EvidenceKind.DOCUMENT, None, None, None, public=False)
        for title in first["evidence"]
    )


def test_loading_a_schema_1_file_never_rewrites_it(tmp_path: Path) -> None:
    """Loading migrates in memory only: the file is the same bytes afterwards."""
    path = tmp_path / "old.toml"
    path.write_bytes(SCHEMA1[0].read_bytes())
    load_case(path)
    assert path.read_bytes() == SCHEMA1[0].read_bytes()


def test_saving_a_migrated_case_writes_schema_2(tmp_path: Path) -> None:
    """A schema-1 file saved back is schema 2 with its version counted on, and reads equal."""
    path = tmp_path / "old.toml"
    source = HERE / "schema1" / "synthetic-hongqiao-first-people-hospital.toml"
    path.write_bytes(source.read_bytes())
    case = load_case(path)
    version = case.version
    save_case(case, path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert (doc["schema"], doc["version"]) == (2, version + 1)
    assert load_case(path) == case
    evidence = doc["categories"][0]["problems"][0]["measures"][0]["evidence"]
    assert all(set(e) == {"title"} for e in evidence)


def test_migrate_document_leaves_its_input_alone() -> None:
    """The document given is not changed; a schema-2 document comes back equal."""
    data = tomllib.loads(SCHEMA1[-1].read_text(encoding="utf-8"))
    before = copy.deepcopy(data)
    migrated = migrate_document(data)
    assert data == before
    assert migrated["schema"] == 2
    assert migrate_document(migrated) == migrated
    assert READABLE_SCHEMAS == (1, 2)


def test_a_schema_1_file_with_a_mistake_still_says_where() -> None:
    """The migration keeps key paths: an evidence entry of the wrong type in a schema-1 file is
    reported at its place, with the line."""
    text = (HERE / "schema1" / "synthetic-hongqiao-first-people-hospital.toml").read_text("utf-8")
    # The first evidence array of the file: make its second entry a number.
    start = text.index("evidence = [")
    line_end = text.index("\n", text.index("\n", start) + 1)
    broken = text[:line_end] + "\n    5," + text[line_end:]
    with pytest.raises(CaseFileError) as raised:
        loads_case(broken, source="old.toml")
    assert raised.value.key_path.startswith("categories[0].problems[0].measures[0].evidence[")
    assert raised.value.line is not None


def _as_schema_1(doc: dict[str, Any]) -> dict[str, Any] | None:
    """A schema-2 document written as 0.1 would have: evidence as strings (None when a record
    holds more than a title, which schema 1 cannot say)."""
    doc = copy.deepcopy(doc)
    doc["schema"] = 1
    for category in doc.get("categories", []):
        for problem in category.get("problems", []):
            if "evidence" in problem:
                return None
            for measure in problem.get("measures", []):
                if "evidence" in measure:
                    if any(set(e) != {"title"} for e in measure["evidence"]):
                        return None
                    measure["evidence"] = [e["title"] for e in measure["evidence"]]
    for key in ("accountability", "evaluations"):
        if key in doc:
            return None
    if any("data" in e for e in doc.get("events", [])):
        return None
    return doc


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(case=rs.cases(with_events=True))
def test_any_case_0_1_could_write_migrates_to_itself(case: Case) -> None:
    """Property: writing a drawn case as a schema-1 document (where 0.1 could hold it) and
    loading that gives the same case."""
    old = _as_schema_1(rectflow.unstructure_case(case))
    if old is None:
        return
    assert rectflow.structure_case(old) == case
