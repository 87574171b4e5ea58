"""The one table of Chinese labels covers every state, trigger, event and kind there is."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import pytest

from rectflow import (
    AccountabilityForm,
    CaseState,
    ContactKind,
    EvidenceKind,
    Grade,
    InspectionKind,
    ItemState,
    ProblemKind,
    ReviewKind,
)
from rectflow._core.edits import EDIT_TRIGGERS
from rectflow._core.history import ADD_MEASURE
from rectflow._core.labels import (
    ACCOUNTABILITY_FORM_ZH,
    ACCOUNTABILITY_WORDS,
    CASE_STATE_ZH,
    CONTACT_WORDS,
    CONTACT_ZH,
    EVIDENCE_KIND_ZH,
    GRADE_ZH,
    INSPECTION_KIND_ZH,
    ITEM_STATE_ZH,
    PROBLEM_KIND_ZH,
    REVIEW_KIND_ZH,
    TRIGGER_ZH,
)
from rectflow._core.lifecycle import CASE_LIFECYCLE, ITEM_LIFECYCLE
from rectflow._notices.accountability import accountability_sentence, read_accountability
from rectflow._notices.text import split_lines

TABLES: list[tuple[type[enum.Enum], Mapping[object, object]]] = [
    (ItemState, ITEM_STATE_ZH),
    (CaseState, CASE_STATE_ZH),
    (ProblemKind, PROBLEM_KIND_ZH),
    (InspectionKind, INSPECTION_KIND_ZH),
    (ContactKind, CONTACT_ZH),
    (ContactKind, CONTACT_WORDS),
    (ReviewKind, REVIEW_KIND_ZH),
    (EvidenceKind, EVIDENCE_KIND_ZH),
    (AccountabilityForm, ACCOUNTABILITY_FORM_ZH),
    (AccountabilityForm, ACCOUNTABILITY_WORDS),
    (Grade, GRADE_ZH),
]


@pytest.mark.parametrize(("kind", "table"), TABLES, ids=[t[0].__name__ for t in TABLES])
def test_every_member_of_each_enum_has_a_label(
    kind: type[enum.Enum], table: Mapping[object, object]
) -> None:
    """Each table labels exactly its enum's members, each with a non-empty label."""
    assert (list(table), [m for m, label in table.items() if not label]) == (list(kind), [])


def test_every_trigger_and_every_event_has_a_label() -> None:
    """Both lifecycles' triggers, every edit event and add_measure: the log names them all."""
    events = {*CASE_LIFECYCLE.triggers, *ITEM_LIFECYCLE.triggers, *EDIT_TRIGGERS, ADD_MEASURE}
    assert (events - set(TRIGGER_ZH), set(TRIGGER_ZH) - events) == (set(), set())


def test_the_supervision_labels_are_the_words_offices_use() -> None:
    """报请销号 → 待验收 → 验收通过（销号） / 驳回; 二次整改; the grades 好/较好/一般/差."""
    assert (
        ITEM_STATE_ZH[ItemState.SUBMITTED],
        TRIGGER_ZH["submit"],
        TRIGGER_ZH["accept"],
        TRIGGER_ZH["reject"],
        TRIGGER_ZH["start_second_rectification"],
        [GRADE_ZH[g] for g in Grade],
        ACCOUNTABILITY_FORM_ZH[AccountabilityForm.ADMONISHING_TALK],
    ) == (
        "待验收",
        "报请销号",
        "验收通过（销号）",
        "驳回",
        "二次整改",
        ["好", "较好", "一般", "差"],
        "诫勉谈话",
    )


def test_every_accountability_word_reads_back_as_its_form() -> None:
    """Each form's words, in a sentence as notices write it, read back as that form."""
    for form, words in ACCOUNTABILITY_WORDS.items():
        for n, word in enumerate(words, 1):
            lines = split_lines(f"对相关责任人{word}{n}人。")
            assert {form: n} == read_accountability(lines)


def test_the_counts_sentence_states_the_total_and_reads_back() -> None:
    """ "共问责7人，其中批评教育5人、诫勉谈话2人": the importer reads the forms, not the total."""
    counts = {AccountabilityForm.CRITICISM: 5, AccountabilityForm.ADMONISHING_TALK: 2}
    sentence = accountability_sentence(counts)
    assert (sentence, read_accountability(split_lines(sentence or ""))) == (
        "严肃追责问责，共问责7人，其中批评教育5人、诫勉谈话2人。",
        counts,
    )
    assert accountability_sentence({}) is None


def test_the_first_count_of_a_form_is_kept() -> None:
    """A form counted twice (overall, then for one unit) is the first count, not the sum."""
    lines = split_lines("全年诫勉谈话3人。其中机关诫勉谈话1人、批评教育2名。")
    expected = {AccountabilityForm.CRITICISM: 2, AccountabilityForm.ADMONISHING_TALK: 3}
    assert expected == read_accountability(lines)
