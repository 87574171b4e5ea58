"""Case files: what the schema-2 document looks like, and that it reads back to the same case."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import attrs
import pytest

import rectflow
from rectflow import (
    Case,
    CaseState,
    Category,
    Contact,
    ContactKind,
    Disclosure,
    FuzzyDate,
    Inspection,
    InspectionKind,
    ItemState,
    Measure,
    Milestone,
    Period,
    Plan,
    Problem,
    Responsibility,
    Review,
    ReviewOutcome,
    StatedCount,
    dumps_case,
    fire,
    load_case,
    loads_case,
    save_case,
    structure_case,
    unstructure_case,
)

D = dt.date


def full_case() -> Case:
    """A case using every part of the schema, with events through a review that reopens."""
    case = Case(
        "qy-hospital-2020",
        inspected_body="某市人民医院党委",
        inspection=Inspection(
            InspectionKind.XUNCHA,
            body="市委",
            team="市委第二巡察组",
            round="第四轮",
            onsite=Period(FuzzyDate(2020, 8, dekad=rectflow.Dekad.EARLY), FuzzyDate(2020, 9)),
        ),
        feedback_on=FuzzyDate(2020, 12, 3, inferred=True),
        plan=Plan(FuzzyDate.of(D(2021, 1, 1)), "整改方案"),
        leading_group=rectflow.LeadingGroup("整改工作领导小组", "院长"),
        centralised=Period(FuzzyDate.of(D(2020, 12, 3)), FuzzyDate.of(D(2021, 2, 28))),
        report_on=FuzzyDate(2021, 3),
        milestones=[Milestone("专题民主生活会", FuzzyDate(2021))],
        disclosures=[
            Disclosure(
                FuzzyDate.of(D(2021, 4, 7)),
                rectflow.DisclosureScope.DUAL,
                "官网",
                Period(FuzzyDate.of(D(2021, 4, 7)), FuzzyDate.of(D(2021, 5, 6))),
                [Contact(ContactKind.PHONE, "0763-1234567"), Contact(ContactKind.PO_BOX, "1号")],
                "整改进展情况通报",
                "院党委",
            )
        ],
        reviews=[Review(D(2021, 9, 1), outcomes=[ReviewOutcome("1.1.1", "reopened", "反弹")])],
        stated_counts=[StatedCount("specific", 45, {ItemState.COMPLETED: 34})],
        categories=[
            Category(
                "1",
                "党的领导方面",
                [
                    Problem(
                        "1.1",
                        "采购管理不规范",
                        measures=[
                            Measure(
                                "1.1.1",
                                "完善采购制度",
                                Responsibility("张三", "办公室", "李四"),
                                due_on=D(2021, 6, 30),
                                evidence=(
                                    rectflow.Evidence(
                                        "院长办公会会议纪要",
                                        rectflow.EvidenceKind.MINUTES,
                                        D(2021, 5, 20),
                                        "档案 2021-永久-12",
                                        "办公室",
                                        public=True,
                                    ),
                                ),
                                tags=("建章立制",),
                                added_on=D(2020, 12, 10),
                            ),
                            Measure("1.1.2", "开展专项检查", due_on=D(2021, 3, 31)),
                        ],
                    ),
                    Problem("1.2", "线索", kind=rectflow.ProblemKind.CLUE, parent="1.1"),
                    Problem(
                        "1.3",
                        "制度执行不严",
                        responsibility=Responsibility(department="纪委办公室"),
                        evidence=(rectflow.Evidence("通报", reference="院纪发〔2021〕1号"),),
                    ),
                ],
            )
        ],
    )
    for trigger in ("adopt_plan", "start_centralised", "submit_report"):
        fire(case, trigger, on=D(2021, 1, 5), actor="院党委")
    # The supervision loop: every kind of edit, and an acceptance refused then given.
    rectflow.assign(case, "1.1.2", Responsibility(department="审计科"), on=D(2021, 1, 6))
    rectflow.set_due(case, "1.3", D(2021, 4, 30), on=D(2021, 1, 6))
    rectflow.extend(
        case,
        "1.1.2",
        D(2021, 5, 31),
        approver="院党委",
        role="领导小组",
        reason="跨季度",
        on=D(2021, 3, 20),
    )
    rectflow.edit_text(case, "1.1.2", "开展采购专项检查", on=D(2021, 3, 20))
    for trigger in ("start", "complete", "submit"):
        fire(case, trigger, item="1.1.2", on=D(2021, 5, 1), actor="审计科")
    fire(case, "reject", item="1.1.2", on=D(2021, 5, 3), actor="纪委", note="佐证不足")
    rectflow.add_evidence(
        case,
        "1.1.2",
        rectflow.Evidence("专项检查报告", on=D(2021, 5, 10)),
        on=D(2021, 5, 10),
        actor="审计科",
    )
    for trigger in ("complete", "submit"):
        fire(case, trigger, item="1.1.2", on=D(2021, 5, 10), actor="审计科")
    fire(case, "accept", item="1.1.2", on=D(2021, 5, 12), actor="纪委")
    for trigger in ("start", "complete", "close"):
        fire(case, trigger, item="1.1.1", on=D(2021, 6, 1), note="按期")
    rectflow.record_accountability(
        case,
        rectflow.Accountability(
            rectflow.AccountabilityForm.ADMONISHING_TALK,
            2,
            on=D(2021, 6, 5),
            problem="1.1",
            note="内部",
        ),
    )
    rectflow.add_problem(
        case,
        "2",
        Problem("2.1", "回头看发现", measures=[Measure("2.1.1", "补短板", due_on=D(2021, 12, 31))]),
        category_title="回头看发现的问题",
        on=D(2021, 9, 1),
    )
    fire(case, "review", on=D(2021, 9, 1))
    fire(case, "reopen", item="1.1.1", on=D(2021, 9, 1), actor="回头看")
    rectflow.evaluate(
        case, rectflow.Evaluation(D(2021, 9, 20), rectflow.Grade.FAIR, 72.5, "县委巡察办")
    )
    return case


def test_a_full_case_reads_back_equal() -> None:
    """Every part of the schema survives dump and load."""
    case = full_case()
    assert loads_case(dumps_case(case)) == case


def test_the_document_starts_with_schema_and_version_and_keeps_states_spelled_out() -> None:
    """schema and version lead; states and kinds are written even when they are defaults."""
    doc = tomllib.loads(dumps_case(full_case()))
    assert list(doc)[:4] == ["schema", "version", "id", "inspected_body"]
    assert (doc["schema"], doc["version"], doc["state"]) == (2, 0, "reviewed")
    problem = doc["categories"][0]["problems"][0]
    assert (problem["kind"], problem["classification"]) == ("specific", "public")
    assert problem["measures"][1] == {
        "id": "1.1.2",
        "text": "开展采购专项检查",
        "responsibility": {"department": "审计科"},
        "due_on": D(2021, 5, 31),
        "state": "closed",
        "evidence": [{"title": "专项检查报告", "on": D(2021, 5, 10), "added_by": "审计科"}],
    }


def test_edits_keep_the_values_before_and_after_in_their_data() -> None:
    """An extension's data holds the new and the previous due date, the approver, the role and
    the reason; records and evidence are written beside the event that added them."""
    doc = tomllib.loads(dumps_case(full_case()))
    extend = next(e for e in doc["events"] if e["trigger"] == "extend")
    assert extend["data"] == {
        "due_on": D(2021, 5, 31),
        "previous_due_on": D(2021, 3, 31),
        "approver": "院党委",
        "role": "领导小组",
        "reason": "跨季度",
    }
    assert doc["accountability"] == [
        {
            "form": "admonishing_talk",
            "people": 2,
            "on": D(2021, 6, 5),
            "problem": "1.1",
            "note": "内部",
        }
    ]
    assert doc["evaluations"] == [
        {"on": D(2021, 9, 20), "grade": "fair", "score": 72.5, "by": "县委巡察办"}
    ]
    assert doc["categories"][1] == {
        "id": "2",
        "title": "回头看发现的问题",
        "problems": [
            {
                "id": "2.1",
                "title": "回头看发现",
                "kind": "specific",
                "classification": "public",
                "state": "open",
                "measures": [
                    {
                        "id": "2.1.1",
                        "text": "补短板",
                        "due_on": D(2021, 12, 31),
                        "state": "open",
                        "added_on": D(2021, 9, 1),
                    }
                ],
            }
        ],
    }


def test_exact_days_are_toml_dates_and_fuzzy_dates_are_their_text_form() -> None:
    """An exact written day is a TOML date; dekads, months, years and inferred years are text."""
    doc = tomllib.loads(dumps_case(full_case()))
    assert doc["plan"]["adopted_on"] == D(2021, 1, 1)
    assert doc["feedback_on"] == "2020-12-03?"
    assert doc["report_on"] == "2021-03"
    assert doc["inspection"]["onsite"] == {"start": "2020-08-early", "end": "2020-09"}
    assert doc["milestones"] == [{"name": "专题民主生活会", "on": "2021"}]


def test_none_and_empty_collections_and_default_initial_states_are_left_out() -> None:
    """A bare case writes only the keys that carry something."""
    doc = unstructure_case(Case("c"))
    assert doc == {"schema": 2, "version": 0, "id": "c", "state": "feedback_received"}


def test_an_imported_initial_state_is_written() -> None:
    """initial_state appears when the case or an item starts elsewhere than the default."""
    case = Case(
        "c",
        state=CaseState.REPORTED,
        initial_state=CaseState.REPORTED,
        categories=[
            Category(
                "1",
                problems=[
                    Problem("1.1", state=ItemState.COMPLETED, initial_state=ItemState.COMPLETED)
                ],
            )
        ],
    )
    doc = unstructure_case(case)
    assert (doc["state"], doc["initial_state"]) == ("reported", "reported")
    assert doc["categories"][0]["problems"][0]["initial_state"] == "completed"
    assert loads_case(dumps_case(case)) == case


def test_a_problem_with_measures_carries_its_derived_state() -> None:
    """The file's state of a problem with measures is the one its measures give it."""
    case = full_case()
    doc = unstructure_case(case)
    assert doc["categories"][0]["problems"][0]["state"] == "reopened"
    assert case.categories[0].problems[0].own_state is ItemState.OPEN


def test_events_are_written_in_order_with_their_dates() -> None:
    """Each event keeps seq, trigger, target, date, actor and note."""
    doc = unstructure_case(full_case())
    assert doc["events"][0] == {
        "seq": 1,
        "trigger": "adopt_plan",
        "target": "case",
        "on": D(2021, 1, 5),
        "actor": "院党委",
    }
    assert [e["seq"] for e in doc["events"]] == list(range(1, len(doc["events"]) + 1))
    assert [e["on"] for e in doc["events"]] == sorted(e["on"] for e in doc["events"])


def test_the_document_goes_through_json_and_back() -> None:
    """unstructure_case output dumps as JSON with default=str and structures back."""
    case = full_case()
    text = json.dumps(unstructure_case(case), default=str, ensure_ascii=False)
    assert structure_case(json.loads(text)) == case


def test_loading_builds_the_id_index() -> None:
    """A loaded case finds its items without rebuilding anything."""
    case = loads_case(dumps_case(full_case()))
    assert case.item("1.1.2").state is ItemState.CLOSED
    assert isinstance(case.item("1.2"), Problem)
    assert isinstance(case.item("2.1.1"), Measure)


def test_load_case_reads_what_save_case_wrote(tmp_path: Path) -> None:
    """save_case writes version 1; load_case reads the same case with that version."""
    case = full_case()
    path = tmp_path / "case.toml"
    save_case(case, path)
    assert case.version == 1
    loaded = load_case(path)
    assert (loaded, loaded.version) == (case, 1)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == 1


def test_chinese_text_is_written_as_utf8_characters(tmp_path: Path) -> None:
    """Chinese text is written as UTF-8 characters, not escapes, and reads back."""
    path = tmp_path / "case.toml"
    save_case(full_case(), path)
    assert "某市人民医院党委" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "title", ['quote " and backslash \\', "tab\tand\nnewline", "", "emoji 🙂 and \u00e9"]
)
def test_awkward_strings_survive_a_round_trip(title: str) -> None:
    """Quotes, backslashes, control characters and non-BMP text read back unchanged."""
    case = Case("c", categories=[Category("1", title)])
    assert loads_case(dumps_case(case)) == case


def test_schema_version_is_two() -> None:
    """The public constant names the schema this version writes."""
    assert rectflow.SCHEMA_VERSION == tomllib.loads(dumps_case(Case("c")))["schema"] == 2


DOC = Path(__file__).resolve().parents[2] / "docs" / "case-file.md"


def test_the_example_in_the_schema_document_loads_and_is_what_dumps_case_writes() -> None:
    """docs/case-file.md's example is a valid file, written exactly as rectflow writes it."""
    text = DOC.read_text(encoding="utf-8")
    example = text.split("## Example\n\n```toml\n", 1)[1].split("```", 1)[0]
    assert dumps_case(loads_case(example)) == example


def test_every_key_of_the_schema_is_documented() -> None:
    """Each field a case file can hold appears as `key`, `[key]` or `[[key]]` in the schema doc."""
    documented = set(re.findall(r"`[^`\n]+`", DOC.read_text(encoding="utf-8")))
    classes = [Case, Inspection, Plan, rectflow.LeadingGroup, Milestone, Disclosure, Contact]
    classes += [Review, ReviewOutcome, StatedCount, Category, Problem, Measure, Responsibility]
    classes += [rectflow.Event, Period]
    missing = [
        f"{cl.__name__}.{a.alias}"
        for cl in classes
        for a in attrs.fields(cl)
        if a.init and not {f"`{a.alias}`", f"`[{a.alias}]`", f"`[[{a.alias}]]`"} & documented
    ]
    assert missing == []
