"""The shipped presets: complete, every parameter cited, with the values the sources give."""

from __future__ import annotations

import attrs
import pytest

import rectflow
from rectflow import Level, Source
from rectflow._rules.presets import shipped_presets

PRESETS = ("xuncha", "xunshi")


@pytest.fixture(scope="module")
def plugins() -> rectflow.Plugins:
    """The built-in checks only: the presets must not depend on a third-party plugin."""
    return rectflow.plugin_manager(load_entry_points=False)


def _option(policy: rectflow.Policy, code: str, name: str) -> tuple[object, Source | None]:
    setting = policy.rules[code].options[name]
    return setting.value, setting.source


def test_the_presets_are_shipped_as_package_data_and_offered_by_the_core() -> None:
    """xunshi and xuncha, read from rectflow/presets/*.toml."""
    assert [name for name, _ in shipped_presets()] == sorted(PRESETS)
    assert set(PRESETS) <= set(rectflow.plugin_manager(load_entry_points=False).presets())


@pytest.mark.parametrize("name", PRESETS)
def test_a_preset_configures_every_builtin_rule_citing_each_parameter(
    plugins: rectflow.Plugins, name: str
) -> None:
    """Every rule named with its basis and source; every option set and cited, except the ones
    whose absence means "not required" (None defaults)."""
    policy = rectflow.policy(name, plugins)
    assert set(policy.rules) == set(plugins.rules)
    for code, rule in plugins.rules.items():
        settings = policy.rules[code]
        assert settings.basis, code
        assert settings.source is not None, code
        assert settings.level is not None, code
        for field in attrs.fields(rule.options):
            setting = settings.options.get(field.name)
            if setting is None:
                assert field.default is None, f"{code}.{field.name} is not configured"
                continue
            assert setting.basis, f"{code}.{field.name} cites nothing"
            assert setting.source is not None, f"{code}.{field.name} has no source"


@pytest.mark.parametrize("name", PRESETS)
def test_a_preset_survives_a_dump_and_load(plugins: rectflow.Plugins, name: str) -> None:
    """The preset's policy round-trips through the writer."""
    policy = rectflow.policy(name, plugins)
    assert rectflow.loads_policy(rectflow.dumps_policy(policy), plugins=plugins) == policy


def test_xunshi_follows_the_2015_regulations_and_central_practice(
    plugins: rectflow.Plugins,
) -> None:
    """Report 2 months (art. 27, rule, error); clues reported on within 3 months (art. 29);
    disclosure later than 8 months after feedback is a warning (practice)."""
    xunshi = rectflow.policy("xunshi", plugins)
    assert _option(xunshi, "deadline.report", "within") == ("2 months", Source.RULE)
    assert "第二十七条" in (xunshi.rules["deadline.report"].options["within"].basis or "")
    assert xunshi.rules["deadline.report"].level is Level.ERROR
    assert _option(xunshi, "deadline.clue", "normal") == ("3 months", Source.RULE)
    assert "第二十九条" in (xunshi.rules["deadline.clue"].options["normal"].basis or "")
    assert _option(xunshi, "disclosure.timing", "within") == ("8 months", Source.PRACTICE)
    assert _option(xunshi, "disclosure.timing", "after") == ("feedback", Source.PRACTICE)
    assert xunshi.rules["disclosure.timing"].level is Level.WARNING
    assert "第三十二条" in (xunshi.rules["disclosure.required"].basis or "")


def test_xuncha_is_a_typical_city_and_county_regime(plugins: rectflow.Plugins) -> None:
    """Plan 1 month; centralised 3 months with the report at its end; evaluation within 1 month
    after it; clues 6 months normally, a year at most; disclosure within 3 months after the
    centralised period (a warning); no public period required."""
    xuncha = rectflow.policy("xuncha", plugins)
    assert _option(xuncha, "deadline.plan", "within")[0] == "1 month"
    assert _option(xuncha, "deadline.centralised", "longest")[0] == "3 months"
    assert _option(xuncha, "deadline.report", "within")[0] == "3 months"
    assert _option(xuncha, "deadline.evaluation", "within")[0] == "1 month"
    assert _option(xuncha, "deadline.clue", "normal")[0] == "6 months"
    assert _option(xuncha, "deadline.clue", "longest")[0] == "12 months"
    for code in ("disclosure.timing", "disclosure.required"):
        assert _option(xuncha, code, "after") == ("centralised_end", Source.PRACTICE)
        assert _option(xuncha, code, "within") == ("3 months", Source.PRACTICE)
        assert xuncha.rules[code].level is Level.WARNING
    assert "at_least" not in xuncha.rules["disclosure.public-period"].options


def test_xuncha_supervises_extensions_acceptance_evidence_and_evaluation(
    plugins: rectflow.Plugins,
) -> None:
    """One extension per item (告诫书, #30), a warning past it; acceptance by someone else, not
    yet required; evidence dated within the work; 一般 or 差 → a second rectification within a
    month (#36), an error."""
    xuncha = rectflow.policy("xuncha", plugins)
    assert _option(xuncha, "deadline.extensions", "max_extensions") == (1, Source.PRACTICE)
    assert "#30" in (xuncha.rules["deadline.extensions"].options["max_extensions"].basis or "")
    assert _option(xuncha, "deadline.extensions", "approver_roles")[0] == []
    assert xuncha.rules["deadline.extensions"].level is Level.WARNING
    assert xuncha.rules["acceptance.required"].enabled is False
    assert xuncha.rules["acceptance.independent"].enabled is True
    assert xuncha.rules["acceptance.independent"].level is Level.ERROR
    assert _option(xuncha, "evidence.dated", "margin")[0] == "0 days"
    assert _option(xuncha, "evaluation.second-rectification", "grades")[0] == ["fair", "poor"]
    assert "#36" in (xuncha.rules["evaluation.second-rectification"].basis or "")
    assert _option(xuncha, "evaluation.second-rectification", "within")[0] == "1 month"
    assert xuncha.rules["evaluation.second-rectification"].level is Level.ERROR


def test_xunshi_sets_no_extension_limit_and_warns_of_a_missing_second_rectification(
    plugins: rectflow.Plugins,
) -> None:
    """No source caps extensions of a 巡视 deadline; central practice grades nothing in public,
    so the 巡察 practice is a warning."""
    xunshi = rectflow.policy("xunshi", plugins)
    assert "max_extensions" not in xunshi.rules["deadline.extensions"].options
    assert xunshi.rules["acceptance.required"].enabled is False
    assert xunshi.rules["evaluation.second-rectification"].level is Level.WARNING


@pytest.mark.parametrize("name", PRESETS)
def test_a_preset_holds_back_evidence_and_accountability_notes(
    plugins: rectflow.Plugins, name: str
) -> None:
    """Evidence is internal unless marked public; 问责 is published only as counts."""
    secrets = _option(rectflow.policy(name, plugins), "confidentiality.leak", "secrets")[0]
    assert isinstance(secrets, list)
    assert {"evidence", "accountability"} <= set(secrets)


@pytest.mark.parametrize("name", PRESETS)
def test_a_preset_counts_in_weekdays_and_refuses_unknown_years(
    plugins: rectflow.Plugins, name: str
) -> None:
    """Package data cannot assume a calendar plugin is installed."""
    assert rectflow.policy(name, plugins).calendar == rectflow.CalendarSettings()
