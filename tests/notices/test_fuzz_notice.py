"""Fuzzing the notice importer with a fixed budget: mutated notices, bytes decoded every which
way, only :class:`~rectflow.errors.NoticeParseError` allowed.

Whatever the importer does read must be a case the rest of rectflow handles: it saves and loads
back equal, replays to itself, renders, and checks without a plugin crashing. The corpus is the
notices rendered from the example case files and, when present, the seed notices. Two runs: one
hypothesis-driven (the profile's budget, new inputs each CI run), one with a fixed seed and a
fixed number of mutants (the same inputs every run, so a failure reproduces exactly).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import (
    check,
    dumps_case,
    load_case,
    loads_case,
    parse_notice,
    render_notice,
    replay,
)
from rectflow.errors import NoticeParseError

REPO = Path(__file__).resolve().parents[2]
BUILTINS = rectflow.plugin_manager(load_entry_points=False)
AS_OF = dt.date(2030, 1, 1)
BUDGET = 1000
"""Mutants in the fixed-seed run: about six seconds on one core (6000 were run once: no failure)."""

# Pieces of the genre, inserted by the mutator so that mutants reach the importer's corners.
TOKENS = [
    "一、",
    "（一）",
    "(二)",
    "1.",
    "(1)",
    "一是",
    "二是",
    "2024年3月28日",
    "2020年8月上旬",
    "12月3日",
    "至",
    "（已完成）",
    "（正在推进）",
    "（长期坚持）",
    "共反馈问题45个，已完成34个",
    "举一反三",
    "此问题属于“推动改革促进发展”整改事项",
    "联系电话：0763-1234567",
    "电子邮箱：jw@example.org",
    "公开期限：2025年4月7日至5月6日",
    "中共某某委员会\n2024年11月20日",
    "关于巡察整改进展情况的通报",
    "\n",
    "\u3000",
    "\ufeff",
    "\x00",
]
DECODINGS: list[Callable[[bytes], str]] = [
    lambda data: data.decode("utf-8", errors="replace"),
    lambda data: data.decode("gb18030", errors="replace"),
    lambda data: data.decode("latin-1"),
    lambda data: data.decode("utf-8", errors="surrogateescape"),
]


def corpus(seeds: dict[str, str]) -> list[bytes]:
    """The rendered example cases and the seed notices, as UTF-8 bytes."""
    rendered = [
        render_notice(load_case(path)) for path in sorted((REPO / "examples" / "cases").glob("*"))
    ]
    return [text.encode("utf-8") for text in [*rendered, *seeds.values()]]


@pytest.fixture(scope="module")
def notices(request: pytest.FixtureRequest) -> list[bytes]:
    """The corpus: example notices always, seed notices when they are there."""
    try:
        seeds: dict[str, str] = request.getfixturevalue("seed_text")
    except pytest.skip.Exception:
        seeds = {}
    return corpus(seeds)


def survives(text: str) -> None:
    """Parse ``text``: refused with NoticeParseError, or read into a case rectflow handles."""
    try:
        result = parse_notice(text)
    except NoticeParseError:
        return
    case = result.case
    assert loads_case(dumps_case(case)) == case, "the draft does not survive its case file"
    assert replay(case) == case, "the draft does not replay to itself"
    render_notice(case)
    report = check(case, policy="xuncha", as_of=AS_OF, plugins=BUILTINS)
    assert not [v for v in report.violations if v.code.startswith("plugin.")], report.to_text()


def mutate(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """One to eight byte-level edits: flips, inserts, deletes, copies, splices, tokens, cuts."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        where = rng.randint(0, len(out))
        edit = rng.randrange(8)
        if edit == 0 and out:
            out[min(where, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif edit == 1:
            out[where:where] = rng.randbytes(rng.randint(1, 8))
        elif edit == 2:
            del out[where : where + rng.randint(1, 200)]
        elif edit == 3:
            start = rng.randint(0, len(out))
            out[where:where] = out[start : start + rng.randint(1, 400)]
        elif edit == 4:
            other = rng.choice(others)
            start = rng.randint(0, len(other))
            out[where:where] = other[start : start + rng.randint(1, 800)]
        elif edit == 5:
            out[where:where] = rng.choice(TOKENS).encode(rng.choice(["utf-8", "gb18030"]))
        elif edit == 6:
            del out[where:]
        else:
            lines = bytes(out).split(b"\n")
            rng.shuffle(lines)
            out = bytearray(b"\n".join(lines))
    return bytes(out)


def test_the_corpus_is_read_and_survives_unmutated(notices: list[bytes]) -> None:
    """Every notice of the corpus is read (not refused) and its case is handled throughout."""
    assert len(notices) >= 5
    for data in notices:
        text = data.decode("utf-8")
        assert parse_notice(text).case.categories
        survives(text)


@given(data=st.data())
def test_mutated_notices_parse_or_raise_notice_parse_error(
    notices: list[bytes], data: st.DataObject
) -> None:
    """Hypothesis's budget of mutants, decoded one of four ways: only NoticeParseError."""
    seed = data.draw(st.integers(0, 2**32 - 1), label="mutation seed")
    rng = random.Random(seed)  # noqa: S311 - fuzzing, not secrets
    mutant = mutate(rng, rng.choice(notices), notices)
    survives(data.draw(st.sampled_from(DECODINGS), label="decoding")(mutant))


@given(st.binary(max_size=2000), st.sampled_from(DECODINGS))
def test_random_bytes_decoded_any_way_parse_or_raise(
    data: bytes, decode: Callable[[bytes], str]
) -> None:
    """Arbitrary bytes through every decoding, lone surrogates included: only NoticeParseError."""
    survives(decode(data))


@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60))
def test_notice_tokens_in_any_order_parse_or_raise(pieces: list[str]) -> None:
    """Headings, dates, states, counts and contacts in any order: read, or refused."""
    survives("".join(pieces))


def test_text_with_lone_surrogates_parses_or_raises() -> None:
    """A str holding lone surrogates (bytes decoded with surrogateescape) is refused or read."""
    survives("中共清\udce8远市人民医院委员会关于巡察整改进展情况的通报")


def test_lone_surrogates_are_replaced_and_reported() -> None:
    """Lone surrogates become U+FFFD, with a warning naming their line; the body still reads."""
    result = rectflow.parse_notice(
        "中共清\udce8远市人民医院委员会关于巡察整改进展情况的通报\n联系电话：0763-3113806"
    )
    assert "\ufffd" in result.case.inspected_body
    assert [w.line for w in result.warnings if "surrogate" in w.message] == [1]


@pytest.mark.slow
def test_a_fixed_budget_of_seeded_mutants_parses_or_raises(notices: list[bytes]) -> None:
    """The same BUDGET mutants every run (seeded): each is refused or read into a sound case."""
    rng = random.Random(20240328)  # noqa: S311 - fuzzing, not secrets
    refused = 0
    for n in range(BUDGET):
        mutant = mutate(rng, rng.choice(notices), notices)
        text = DECODINGS[n % len(DECODINGS)](mutant)
        try:
            parse_notice(text)
        except NoticeParseError:
            refused += 1
            continue
        survives(text)
    assert refused < BUDGET  # mutants close to notices are still read, mostly
