"""Any text either parses or raises NoticeParseError: no other exception, no hang.

The budgets are hypothesis's profile (``default`` or ``ci``). Timing is measured by
``bench/notices.py``, not here: the 10 MB test only shows that such a notice is read whole.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow.errors import NoticeParseError

# The characters the importer reacts to, so that generated text reaches its corners.
NOTICE_ALPHABET = (
    "一二三四五六七八九十〇（）()1234567890.．、：:；;，,。是年月日号旬上中下至到起自"
    '针对“”"举反整改事项此问题属于推动革促进发展欢迎监督联系电话邮箱信地址公开期限关于巡察视'
    "通报根据统一部署反馈方案通过召开报送告集中领导小组成立已完成基本正在长期坚持未[bookmark:_]"
    "发布时间来源首页>\n \t　"
)


def parses_or_refuses(text: str) -> rectflow.ParseResult | None:
    """The result, or None when the text was refused as no notice."""
    try:
        return rectflow.parse_notice(text)
    except NoticeParseError:
        return None


@given(st.text())
def test_any_text_parses_or_raises_notice_parse_error(text: str) -> None:
    """Arbitrary unicode text never raises anything but NoticeParseError."""
    parses_or_refuses(text)


@given(st.text(alphabet=NOTICE_ALPHABET, max_size=600))
def test_text_made_of_notice_words_parses_or_raises_notice_parse_error(text: str) -> None:
    """Headings, dates, ordinals and labels in any order never break the importer."""
    parses_or_refuses(text)


@given(st.binary(max_size=4000))
def test_random_bytes_decoded_with_replacement_parse_or_raise(data: bytes) -> None:
    """Bytes decoded with errors="replace" (as a careless caller would) are just text."""
    parses_or_refuses(data.decode("utf-8", errors="replace"))


@given(rs.cases(allow_imported=True), st.data())
def test_a_damaged_rendered_notice_parses_or_raises(
    case: rectflow.Case, data: st.DataObject
) -> None:
    """Characters deleted, inserted or copied about in a rendered notice never break it."""
    chars = list(rectflow.render_notice(case))
    for _ in range(data.draw(st.integers(1, 12))):
        where = data.draw(st.integers(0, len(chars)))
        edit = data.draw(st.sampled_from(["delete", "insert", "copy"]))
        if edit == "delete" and chars:
            del chars[min(where, len(chars) - 1)]
        elif edit == "insert":
            chars.insert(where, data.draw(st.sampled_from(NOTICE_ALPHABET)))
        else:
            start = data.draw(st.integers(0, len(chars)))
            chars[where:where] = chars[start : start + 40]
    parses_or_refuses("".join(chars))


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
@given(data=st.data())
def test_a_damaged_seed_parses_or_raises(
    seed_text: dict[str, str], seed: str, data: st.DataObject
) -> None:
    """Lines of a seed dropped, cut short or repeated elsewhere: still read, or refused."""
    lines = seed_text[seed].split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        where = data.draw(st.integers(0, len(lines) - 1))
        edit = data.draw(st.sampled_from(["drop", "cut", "repeat"]))
        if edit == "drop" and len(lines) > 1:
            del lines[where]
        elif edit == "cut":
            lines[where] = lines[where][: data.draw(st.integers(0, len(lines[where])))]
        else:
            source = lines[data.draw(st.integers(0, len(lines) - 1))]
            lines.insert(where, source[data.draw(st.integers(0, len(source))) :])
    parses_or_refuses("\n".join(lines))


def synthetic_case() -> rectflow.Case:
    """A disclosed case of our own: three categories of four problems with three measures."""
    states = list(rectflow.ItemState)
    categories = []
    for c in range(1, 4):
        problems = []
        for p in range(1, 5):
            pid = f"{c}.{p}"
            measures = [
                rectflow.Measure(f"{pid}.{m}", f"第{m}项措施：修订制度并检查落实", state=s,
                                 initial_state=s)
                for m in range(1, 4)
                for s in [states[(c + p + m) % len(states)]]
            ]  # fmt: skip
            problems.append(rectflow.Problem(pid, f"第{c}方面第{p}个问题", measures=measures))
        categories.append(rectflow.Category(str(c), f"关于第{c}方面的问题", problems))
    return rectflow.Case(
        "synthetic",
        "中共某某委员会",
        feedback_on=rectflow.FuzzyDate(2024, 3, 1),
        categories=categories,
    )


@pytest.mark.slow
def test_a_ten_megabyte_notice_is_read_whole() -> None:
    """A notice of 10 MB (a rendered ledger's categories, repeated) is read to its end."""
    rendered = rectflow.render_notice(synthetic_case())
    start, end = rendered.index("（一）"), rendered.index("\n\n欢迎")
    copies = 10_000_000 // (end - start) + 1
    text = rendered[:start] + "\n".join([rendered[start:end]] * copies) + rendered[end:]
    result = rectflow.parse_notice(text)
    assert (len(text) >= 10_000_000, len(result.case.categories), result.unread) == (
        True,
        copies * 3,
        [],
    )
