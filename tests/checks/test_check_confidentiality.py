"""The confidentiality check: nothing held back appears in a public disclosure's text."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Accountability,
    AccountabilityForm,
    Case,
    Category,
    CheckContext,
    Classification,
    Disclosure,
    DisclosureScope,
    Evidence,
    Level,
    Measure,
    OptionSetting,
    Policy,
    Problem,
    ProblemKind,
    Responsibility,
    RuleSettings,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import confidentiality

D = dt.date
AS_OF = D(2024, 12, 1)
CLUE_TITLE = "某科室收受回扣线索"


def settings(**options: Any) -> RuleSettings:
    """Rule settings with these option values."""
    return RuleSettings(options={name: OptionSetting(value) for name, value in options.items()})


def run(case: Case, **rules: RuleSettings) -> list[Violation]:
    """The confidentiality module's violations, sorted."""
    context = CheckContext(
        as_of=AS_OF,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in confidentiality.RULES},
    )
    found = confidentiality.rectflow_check_case(case=case, context=context)
    return sorted(found, key=Violation.sort_key)


def ledger_case(text: str, scope: DisclosureScope = DisclosureScope.PUBLIC) -> Case:
    """A ledger with a clue, an internal problem and named measures, and one disclosure."""
    problems = [
        Problem(
            "1.1",
            title="门诊服务流程不优",
            measures=[
                Measure(
                    "1.1.1",
                    responsibility=Responsibility(
                        leader="李院长", department="门诊部", person="王某某"
                    ),
                    evidence=(Evidence("门诊部整改台账第3号"),),
                ),
                Measure("1.1.2", responsibility=Responsibility(person="王某某")),
            ],
        ),
        Problem("1.2", title="某药品采购议价记录缺失", classification=Classification.INTERNAL),
        Problem(
            "9.1",
            title=CLUE_TITLE,
            kind=ProblemKind.CLUE,
            classification=Classification.CONFIDENTIAL,
        ),
    ]
    return Case(
        "c",
        categories=[Category("1", problems=problems)],
        disclosures=[Disclosure(scope=scope, text=text)],
    )


def test_a_text_that_names_only_public_things_passes() -> None:
    """Public problem titles and departments may be published."""
    assert run(ledger_case("关于门诊服务流程不优的问题，门诊部已完成整改。")) == []


def test_a_clues_title_in_the_text_is_an_error_that_does_not_repeat_it() -> None:
    """The violation names the clue and shows at most a short prefix of its title."""
    [found] = run(ledger_case(f"已将{CLUE_TITLE}移交纪委。"))
    assert (
        found.code,
        found.level,
        found.where,
    ) == ("confidentiality.leak", Level.ERROR, "disclosures[0]")
    assert "the title of clue 9.1" in found.message
    assert "'某科室收…'" in found.message
    for message in (found.message, found.message_zh, found.hint):
        assert CLUE_TITLE[:5] not in message


def test_an_internal_problems_title_leaks_but_a_public_ones_does_not() -> None:
    """Classification decides."""
    [found] = run(ledger_case("门诊服务流程不优；某药品采购议价记录缺失。"))
    assert "the title of classified problem 1.2" in found.message


def test_a_responsible_persons_name_is_reported_once_with_every_measure_naming_them() -> None:
    """One violation per disclosure and secret, listing the items that hold it."""
    [found] = run(ledger_case("由王某某负责落实。"))
    assert "the name of the responsible person of 1.1.1, 1.1.2" in found.message
    assert "王某某" not in found.message


def test_leaders_are_searched_for_only_when_the_policy_asks() -> None:
    """Leaders are often named in notices; ``secrets`` may add them."""
    case = ledger_case("李院长带队督导。")
    assert run(case) == []
    policy = {"confidentiality.leak": settings(secrets=["leaders"])}
    assert [v.where for v in run(case, **policy)] == ["disclosures[0]"]


def test_an_evidence_reference_in_the_text_is_reported() -> None:
    """Evidence is internal."""
    [found] = run(ledger_case("详见门诊部整改台账第3号。"))
    assert "an evidence reference of 1.1.1" in found.message


def evidence_case(text: str, *evidence: Evidence, on_problem: bool = False) -> Case:
    """Problem 1.1 (or, ``on_problem``, its measure 1.1.1) holds ``evidence``; one disclosure."""
    if on_problem:
        problem = Problem("1.1", title="门诊服务流程不优", evidence=evidence)
    else:
        problem = Problem("1.1", measures=[Measure("1.1.1", evidence=evidence)])
    return Case(
        "c", categories=[Category("1", problems=[problem])], disclosures=[Disclosure(text=text)]
    )


def test_internal_evidence_titles_and_references_are_secrets() -> None:
    """Both the title and the reference (an archive number, a path) of internal evidence."""
    record = Evidence("院党委会纪要〔2024〕5号", reference="档案 WS-2024-17")
    for text in ("依据院党委会纪要〔2024〕5号。", "见档案 WS-2024-17。"):
        [found] = run(evidence_case(text, record))
        assert "an evidence reference of 1.1.1" in found.message


def test_evidence_marked_public_may_be_published() -> None:
    """``public = true``: its title and reference are not held back."""
    record = Evidence("门诊预约制度（修订）", reference="https://example.org/yy", public=True)
    assert run(evidence_case("印发了门诊预约制度（修订），见 https://example.org/yy", record)) == []


def test_evidence_marked_public_stays_held_back_with_an_internal_item() -> None:
    """The one public predicate: evidence of an internal problem is internal, whatever it says."""
    record = Evidence("采购议价记录整改报告", public=True)
    problem = Problem(
        "1.2",
        classification=Classification.INTERNAL,
        measures=[Measure("1.2.1", evidence=(record,))],
    )
    case = Case(
        "c",
        categories=[Category("1", problems=[problem])],
        disclosures=[Disclosure(text="见采购议价记录整改报告。")],
    )
    [found] = run(case)
    assert "an evidence reference of 1.2.1" in found.message


def test_the_evidence_of_a_problem_without_measures_is_held_back_too() -> None:
    """Problems tracked on their own carry evidence; it is internal like a measure's."""
    [found] = run(
        evidence_case("详见专题会议纪要第7号。", Evidence("专题会议纪要第7号"), on_problem=True)
    )
    assert "an evidence reference of 1.1" in found.message


def test_an_accountability_note_is_a_secret_the_counts_are_not() -> None:
    """问责 is published as counts by form; a record's note (names, details) never."""
    case = evidence_case("对相关责任人批评教育2人。")
    rectflow.record_accountability(
        case,
        Accountability(
            AccountabilityForm.CRITICISM,
            2,
            on=D(2024, 9, 2),
            problem="1.1",
            note="门诊部主任张某某",
        ),
    )
    assert run(case) == []
    rectflow.record_accountability(
        case,
        Accountability(AccountabilityForm.REMINDER_TALK, on=D(2024, 9, 3), note="科室负责人李某"),
    )
    case.disclosures.append(Disclosure(text="对门诊部主任张某某、科室负责人李某进行了问责。"))
    found = run(case)
    assert [v.where for v in found] == ["disclosures[1]", "disclosures[1]"]
    assert [v.message.split(" contains ")[1].split(" (")[0] for v in found] == [
        "an accountability note on 1.1",
        "an accountability note on the case",
    ]
    for violation in found:
        assert "张某某" not in violation.message
        assert "李某" not in violation.message_zh


def test_the_default_secrets_include_evidence_and_accountability() -> None:
    """The option's default, which the presets repeat."""
    assert confidentiality.LeakOptions().secrets == (
        "clues",
        "classified",
        "persons",
        "evidence",
        "accountability",
    )
    only_persons = {"confidentiality.leak": settings(secrets=["persons"])}
    record = Evidence("院党委会纪要〔2024〕5号")
    assert run(evidence_case("依据院党委会纪要〔2024〕5号。", record), **only_persons) == []


def test_inner_party_disclosures_are_not_searched_but_dual_ones_are() -> None:
    """Only what reaches the public matters."""
    leaked = f"已将{CLUE_TITLE}移交纪委。"
    assert run(ledger_case(leaked, DisclosureScope.INNER)) == []
    assert len(run(ledger_case(leaked, DisclosureScope.DUAL))) == 1


def test_secrets_shorter_than_the_minimum_length_are_ignored() -> None:
    """A one-character name would match everywhere; ``min_length`` (default 2) decides."""
    case = ledger_case("王")
    rectflow.assign(case, "1.1.1", Responsibility(person="王"), on=D(2024, 11, 1))
    assert run(case) == []
    policy = {"confidentiality.leak": settings(min_length=1)}
    assert len(run(case, **policy)) == 1


def test_many_secrets_of_one_length_are_found_exactly() -> None:
    """Hundreds of same-length evidence references: only the one in the text is reported."""
    measures = [Measure(f"1.1.{i}", evidence=(Evidence(f"证据{i:04d}"),)) for i in range(600)]
    case = Case(
        "c",
        categories=[Category("1", problems=[Problem("1.1", measures=measures)])],
        # Every two-digit pair occurs in the text, so no reference is ruled out by its ends.
        disclosures=[Disclosure(text="见证据0417。" + "".join(f"{n:02d}" for n in range(100)))],
    )
    assert [v.message.split(" contains ")[1].split(" (")[0] for v in run(case)] == [
        "an evidence reference of 1.1.417"
    ]


# Characters that no message uses, so a secret found in a message can only be an echo.
_HIDDEN_ALPHABET = "甲乙丙丁戊己庚辛壬癸子丑寅卯"


@given(
    secrets=st.lists(st.text(_HIDDEN_ALPHABET, min_size=2, max_size=12), min_size=1, max_size=6),
    filler=st.text("，。的了", max_size=5),
)
def test_no_message_repeats_a_secret_it_found(secrets: list[str], filler: str) -> None:
    """Whatever the secrets, a message shows at most a prefix shorter than the secret."""
    # The prefix shown of one secret may contain another whole secret: not what is tested here.
    assume(not any(a != b and a in b for a in secrets for b in secrets))
    problems = [
        Problem(f"9.{i}", title=secret, kind=ProblemKind.CLUE) for i, secret in enumerate(secrets)
    ]
    case = Case(
        "c",
        categories=[Category("9", problems=problems)],
        disclosures=[Disclosure(text=filler.join(secrets))],
    )
    found = run(case)
    assert len(set(secrets)) == len(found)
    for violation in found:
        for secret in secrets:
            assert secret not in violation.message
            assert secret not in violation.message_zh


def shuffled(case: Case, rnd: random.Random) -> Case:
    """A deep copy with categories, problems and measures in another order."""
    copied = copy.deepcopy(case)
    # The ledger's lists are owned by the events: a reordered copy is what an import of the
    # same ledger in another order would build, so the test sets them with ``force``.
    force(copied, "categories", rnd.sample(copied.categories, len(copied.categories)))
    for category in copied.categories:
        force(category, "problems", rnd.sample(category.problems, len(category.problems)))
        for problem in category.problems:
            force(problem, "measures", rnd.sample(problem.measures, len(problem.measures)))
    copied.reindex()
    return copied


@given(
    case=rs.cases(with_events=True, allow_imported=True, max_problems=8),
    data=st.data(),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, data: st.DataObject, rnd: random.Random
) -> None:
    """With texts quoting some of the ledger's titles, names, evidence and accountability notes,
    order is irrelevant."""
    words = [p.title for p in case.problems()]
    words += [m.responsibility.person or "" for m in case.measures() if m.responsibility]
    words += [e.title for m in case.measures() for e in m.evidence]
    words += [e.reference or e.title for p in case.problems() for e in p.evidence]
    words += [r.note for r in case.accountability if r.note]
    quoted = data.draw(st.lists(st.sampled_from(words), max_size=5)) if words else []
    case.disclosures.append(Disclosure(scope=DisclosureScope.DUAL, text="；".join(quoted)))
    policy = {"confidentiality.leak": settings(secrets=list(confidentiality._SECRETS))}
    assert run(case, **policy) == run(shuffled(case, rnd), **policy)


def test_rectflow_check_reports_a_leak_under_the_plugin_name() -> None:
    """Through the plugin manager."""
    report = rectflow.check(
        ledger_case(f"已将{CLUE_TITLE}移交纪委。"), policy=Policy("test"), as_of=AS_OF
    )
    found = [v for v in report.violations if v.code == "confidentiality.leak"]
    assert [(v.plugin, v.where) for v in found] == [
        ("rectflow.checks.confidentiality", "disclosures[0]")
    ]


def test_a_problem_held_back_by_a_tag_is_a_secret_as_the_renderer_holds_it_back() -> None:
    """Tagged ``internal`` or ``clue`` (classified public): the check and the notice agree."""
    tagged = Problem("1.1", title="内部标签问题标题", tags=("internal",))
    clue = Problem("1.2", title="线索标签问题标题", tags=("clue",))
    text = "通报：内部标签问题标题；线索标签问题标题。"
    case = Case(
        "tagged",
        disclosures=[Disclosure(scope=DisclosureScope.PUBLIC, text=text)],
        categories=[Category("1", problems=[tagged, clue])],
    )
    found = [v.message for v in run(case)]
    rendered = rectflow.render_notice(case)
    assert (
        len(found),
        any("classified problem 1.1" in m for m in found),
        any("clue 1.2" in m for m in found),
        "标签问题标题" in rendered,
    ) == (2, True, True, False)
