"""The disclosure checks: required, timing, public period, contacts and publication date."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    CheckContext,
    Contact,
    ContactKind,
    Disclosure,
    DisclosureScope,
    FuzzyDate,
    Level,
    OptionSetting,
    Period,
    Policy,
    RuleSettings,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import disclosure

D = dt.date
F = FuzzyDate.parse
PHONE = Contact(ContactKind.PHONE, "0763-0000000")
EMAIL = Contact(ContactKind.EMAIL, "office@example.org")
ADDRESS = Contact(ContactKind.POSTAL_ADDRESS, "清远市某路1号")


def settings(**options: Any) -> RuleSettings:
    """Rule settings with these option values."""
    return RuleSettings(options={name: OptionSetting(value) for name, value in options.items()})


def run(case: Case, as_of: dt.date, **rules: RuleSettings) -> list[Violation]:
    """The disclosure module's violations, sorted, under a policy with ``rules``."""
    context = CheckContext(
        as_of=as_of,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in disclosure.RULES},
    )
    found = disclosure.rectflow_check_case(case=case, context=context)
    return sorted(found, key=Violation.sort_key)


def of(code: str, violations: list[Violation]) -> list[Violation]:
    """The violations of one rule."""
    return [v for v in violations if v.code == code]


def seed_001_like() -> Case:
    """Seed 001's facts: feedback 2024-03-28, published 2025-04-07 for 30 days, three channels."""
    return Case(
        "seed-001-like",
        feedback_on=F("2024-03-28"),
        disclosures=[
            Disclosure(
                published_on=F("2025-04-07"),
                public_period=Period(F("2025-04-07"), F("2025-05-06")),
                contacts=[PHONE, ADDRESS, EMAIL],
            )
        ],
    )


def seed_003_like() -> Case:
    """Seed 003's dates: feedback 12-03 (year inferred), centralised to 2021-02-28, 2021-06."""
    return Case(
        "seed-003-like",
        feedback_on=F("2020-12-03?"),
        centralised=Period(F("2020-12-03"), F("2021-02-28")),
        disclosures=[Disclosure(published_on=F("2021-06"), contacts=[PHONE, EMAIL])],
    )


XUNCHA_LIKE = {
    "disclosure.required": settings(after="centralised_end", within="3 months"),
    "disclosure.timing": RuleSettings(
        options={
            "after": OptionSetting("centralised_end"),
            "within": OptionSetting("3 months", basis="practice: 集中整改期满后3个月内公开"),
        }
    ),
}


# -- disclosure.required --------------------------------------------------------------------


def test_no_disclosure_eight_months_after_feedback_is_a_warning() -> None:
    """Feedback 2024-03-28 + 8 months = 2024-11-28: nothing yet on 11-28, a warning on 11-29."""
    case = Case("c", feedback_on=F("2024-03-28"))
    assert of("disclosure.required", run(case, D(2024, 11, 28))) == []
    [found] = of("disclosure.required", run(case, D(2024, 11, 29)))
    assert (Level.WARNING, "disclosures", D(2024, 11, 28), D(2024, 11, 29)) == (
        found.level,
        found.where,
        found.due,
        found.actual,
    )


def test_any_disclosure_satisfies_the_requirement_even_an_undated_one() -> None:
    """The rule asks that one exists; its date is the other rules' business."""
    case = Case("c", feedback_on=F("2024-03-28"), disclosures=[Disclosure()])
    assert of("disclosure.required", run(case, D(2026, 1, 1))) == []


def test_a_disclose_event_or_a_disclosed_state_shows_a_disclosure_was_made() -> None:
    """The requirement is met even when the disclosure itself is not recorded."""
    by_state = Case("c", feedback_on=F("2024-03-28"), state=rectflow.CaseState.DISCLOSED)
    assert of("disclosure.required", run(by_state, D(2026, 1, 1))) == []
    by_event = Case("c", feedback_on=F("2024-03-28"), state=rectflow.CaseState.REPORTED)
    rectflow.fire(by_event, "disclose", on=D(2024, 10, 1))
    rectflow.fire(by_event, "close_public_period", on=D(2024, 11, 1))
    rectflow.fire(by_event, "continue_rectification", on=D(2024, 11, 2))
    assert of("disclosure.required", run(by_event, D(2026, 1, 1))) == []


def test_a_requirement_counted_from_the_report_waits_for_the_report() -> None:
    """``after = "report"``: no report, no clock; a report starts it."""
    policy = {"disclosure.required": settings(after="report", within="1 month")}
    case = Case("c", feedback_on=F("2024-03-28"))
    assert of("disclosure.required", run(case, D(2026, 1, 1), **policy)) == []
    case.report_on = F("2024-05-20")
    [found] = of("disclosure.required", run(case, D(2024, 6, 21), **policy))
    assert D(2024, 6, 20) == found.due


def test_a_requirement_counted_from_the_centralised_end_uses_the_recorded_end() -> None:
    """Seed 003: end 2021-02-28 + 3 months = 2021-05-28."""
    case = seed_003_like()
    case.disclosures = []
    [found] = of("disclosure.required", run(case, D(2021, 6, 1), **XUNCHA_LIKE))
    assert D(2021, 5, 28) == found.due


# -- disclosure.timing ----------------------------------------------------------------------


def test_a_disclosure_within_eight_months_of_feedback_is_on_time() -> None:
    """Seed 003 under the default: 2021-06 is wholly before 2021-08-03."""
    assert of("disclosure.timing", run(seed_003_like(), D(2021, 12, 1))) == []


def test_seed_001_is_late_under_an_xuncha_like_policy_and_the_violation_cites_the_parameter() -> (
    None
):
    """No centralised period recorded: its end is estimated (feedback + 3 months) and said so."""
    [found] = of("disclosure.timing", run(seed_001_like(), D(2025, 6, 1), **XUNCHA_LIKE))
    assert (Level.WARNING, "disclosures[0]", D(2024, 9, 27), D(2025, 4, 7)) == (
        found.level,
        found.where,
        found.due,
        found.actual,
    )
    assert found.basis == "practice: 集中整改期满后3个月内公开"
    assert "taken as 2024-06-27" in found.message


def test_seed_001_is_late_under_the_default_window_too() -> None:
    """2024-03-28 + 8 months = 2024-11-28, and 2025-04-07 is after it."""
    [found] = of("disclosure.timing", run(seed_001_like(), D(2025, 6, 1)))
    assert D(2024, 11, 28) == found.due


def test_a_disclosure_dated_to_a_month_wholly_after_the_due_date_misses_it() -> None:
    """Seed 003 under the xuncha-like window: due 2021-05-28, "2021-06" begins after it."""
    [found] = of("disclosure.timing", run(seed_003_like(), D(2021, 12, 1), **XUNCHA_LIKE))
    assert (Level.WARNING, D(2021, 6, 1)) == (found.level, found.actual)
    assert "is late" in found.message


def test_a_disclosure_dated_to_a_month_around_the_due_date_is_uncertain_and_says_why() -> None:
    """ "2021-05" may mean 05-01..05-31 against 2021-05-28."""
    case = seed_003_like()
    case.disclosures[0].published_on = F("2021-05")
    [found] = of("disclosure.timing", run(case, D(2021, 12, 1), **XUNCHA_LIKE))
    assert "2021-05 (month: 2021-05-01..2021-05-31) may be late" in found.message


def test_only_the_first_disclosure_is_timed_wherever_it_is_listed() -> None:
    """A later progress notice is not late because the first one was on time."""
    case = seed_001_like()
    case.disclosures.append(Disclosure(published_on=F("2024-10-01")))
    assert of("disclosure.timing", run(case, D(2025, 6, 1))) == []


# -- disclosure.public-period ---------------------------------------------------------------


def test_no_public_period_is_required_by_default() -> None:
    """``at_least`` is unset unless the policy asks for one."""
    case = seed_001_like()
    case.disclosures[0].public_period = None
    assert of("disclosure.public-period", run(case, D(2025, 6, 1))) == []


def test_seed_001s_thirty_day_public_period_meets_thirty_days_or_a_month_but_not_31_days() -> None:
    """2025-04-07 - 2025-05-06 includes both ends: 30 days."""
    case = seed_001_like()
    for enough in ("30 days", "1 month"):
        policy = {"disclosure.public-period": settings(at_least=enough)}
        assert of("disclosure.public-period", run(case, D(2025, 6, 1), **policy)) == []
    policy = {"disclosure.public-period": settings(at_least="31 days")}
    [found] = of("disclosure.public-period", run(case, D(2025, 6, 1), **policy))
    assert (Level.ERROR, D(2025, 5, 7), D(2025, 5, 6)) == (found.level, found.due, found.actual)


def test_a_public_disclosure_without_a_public_period_fails_a_policy_that_asks_for_one() -> None:
    """The policy's requirement applies to disclosures to the public only."""
    policy = {"disclosure.public-period": settings(at_least="30 days")}
    case = seed_001_like()
    case.disclosures[0].public_period = None
    case.disclosures.append(Disclosure(published_on=F("2025-04-07"), scope=DisclosureScope.INNER))
    [found] = of("disclosure.public-period", run(case, D(2025, 6, 1), **policy))
    assert (found.where, found.level) == ("disclosures[0]", Level.ERROR)


def test_a_public_period_without_an_end_is_a_warning() -> None:
    """Its length is unknown."""
    policy = {"disclosure.public-period": settings(at_least="30 days")}
    case = seed_001_like()
    case.disclosures[0].public_period = Period(F("2025-04-07"))
    [found] = of("disclosure.public-period", run(case, D(2025, 6, 1), **policy))
    assert found.level == Level.WARNING


# -- disclosure.contacts --------------------------------------------------------------------


def test_a_disclosure_offering_phone_and_email_passes_by_default() -> None:
    """Seed 001 gives a phone, a postal address and an e-mail."""
    assert of("disclosure.contacts", run(seed_001_like(), D(2025, 6, 1))) == []


def test_a_disclosure_without_an_email_names_the_missing_channel() -> None:
    """One violation per disclosure, listing every missing kind."""
    case = seed_001_like()
    case.disclosures[0].contacts = [PHONE]
    [found] = of("disclosure.contacts", run(case, D(2025, 6, 1)))
    assert (found.where, found.level) == ("disclosures[0].contacts", Level.WARNING)
    assert "offers no email" in found.message
    assert "电子邮箱" in found.message_zh


def test_the_policy_decides_which_channels_are_required() -> None:
    """``required = ["po_box"]`` fails seed 001; ``required = []`` asks for nothing."""
    policy = {"disclosure.contacts": settings(required=["po_box"])}
    [found] = of("disclosure.contacts", run(seed_001_like(), D(2025, 6, 1), **policy))
    assert "offers no po_box" in found.message
    case = seed_001_like()
    case.disclosures[0].contacts = []
    none = {"disclosure.contacts": settings(required=[])}
    assert of("disclosure.contacts", run(case, D(2025, 6, 1), **none)) == []


def test_inner_party_disclosures_need_no_public_contacts() -> None:
    """A disclosure by party document reaches members, not the public."""
    case = Case(
        "c",
        feedback_on=F("2024-03-28"),
        disclosures=[Disclosure(published_on=F("2024-10-01"), scope=DisclosureScope.INNER)],
    )
    assert of("disclosure.contacts", run(case, D(2025, 6, 1))) == []


# -- disclosure.published-on ----------------------------------------------------------------


def test_a_disclosure_without_a_publication_date_is_an_error() -> None:
    """Every disclosure, whatever its scope, is dated."""
    case = seed_001_like()
    case.disclosures.append(Disclosure(scope=DisclosureScope.INNER))
    [found] = of("disclosure.published-on", run(case, D(2025, 6, 1)))
    assert (found.where, found.level) == ("disclosures[1]", Level.ERROR)


def test_a_disclosure_dated_only_to_a_month_has_a_publication_date() -> None:
    """A fuzzy date is a date."""
    assert of("disclosure.published-on", run(seed_003_like(), D(2021, 12, 1))) == []


# -- the whole module -----------------------------------------------------------------------


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


POLICY = {
    "disclosure.public-period": settings(at_least="20 days"),
    "disclosure.timing": settings(after="report", within="2 months"),
}


@given(
    case=rs.cases(with_events=True, allow_imported=True),
    as_of=st.dates(D(2019, 1, 1), D(2027, 12, 31)),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, as_of: dt.date, rnd: random.Random
) -> None:
    """Shuffling categories, problems and measures gives the same sorted violations."""
    assert run(case, as_of, **POLICY) == run(shuffled(case, rnd), as_of, **POLICY)


def test_rectflow_check_reports_seed_001s_late_disclosure_under_the_plugin_name() -> None:
    """Through the plugin manager, with the xuncha-like windows."""
    report = rectflow.check(
        seed_001_like(), policy=Policy("xuncha-like", rules=XUNCHA_LIKE), as_of=D(2025, 6, 1)
    )
    found = [v for v in report.violations if v.code.startswith("disclosure.")]
    assert [(v.code, v.plugin) for v in found] == [
        ("disclosure.timing", "rectflow.checks.disclosure")
    ]
