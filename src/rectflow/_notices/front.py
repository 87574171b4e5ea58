"""The head of a notice: web-page chrome, the title, and the dated steps of the preamble.

The title names the inspected body and the inspection ("中共清远市人民医院委员会关于八届市委第四轮
巡察整改进展情况的通报"). The preamble and the organisational section tell the story in dated
sentences: the on-site period, the feedback, the plan's adoption, the centralised period, the
report, meetings. Each date is placed by the words of the clause that follows it; a date that fits
no step is reported, not guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.labels import INSPECTION_KIND_ZH
from rectflow._core.model import InspectionKind, LeadingGroup, Milestone, Plan
from rectflow._i18n import N_, Msg
from rectflow._notices.dates import YearContext, read_dates, read_iso_date
from rectflow._notices.text import Line, Notes, clean_text, sentences

__all__ = ["Front", "Steps", "read_front", "read_steps"]

# -- chrome and title -------------------------------------------------------------------------

# Lines a web page puts around the text: breadcrumbs, publication data, tools.
_CHROME = re.compile(
    r"(?:发布时间|发布日期|发文日期|更新时间|来源|信息来源|作者|编辑|责任编辑|浏览次数|浏览量|阅读量|"
    r"访问量|点击数|点击量|点击率|索引号|成文日期|发文机关|发布机构|发文字号|文号|主题分类|主题词|"
    r"分类|体裁分类|公开方式|公开范围|有效性|字号|字体|当前位置|您的位置|所在位置)\s*[：:]"
    r"|^(?:首页|网站首页|主页)(?:\s*[>＞»/]|$)|[>＞»]\s*\S|^【[^】]{0,12}】|^(?:打印|关闭|分享到?|"
    r"扫一扫|收藏|返回顶部|上一篇|下一篇|【?打印本页|【?关闭窗口)"
)
_PUBLISHED_CHROME = re.compile(r"(?:发布时间|发布日期|成文日期|发文日期)\s*[：:]")
_TITLE_WORDS = re.compile(r"关于|通报|公告|公示|公布|情况|报告|整改")
_KINDS = {word: kind for kind, word in INSPECTION_KIND_ZH.items()}
_KIND_WORD = "|".join(_KINDS)
_TITLE = re.compile(r"^(?P<body>.*?)关于(?P<round>.{0,60}?)(?P<kind>" + _KIND_WORD + r")整改")
_BODY_START = re.compile(r"^(?:根据|按照|依据|遵照|近日|\d{4}年)")


def is_chrome(text: str) -> bool:
    """True for a line of web-page chrome (breadcrumbs, 发布时间, 索引号, …)."""
    return len(text) < 200 and _CHROME.search(text) is not None


def _is_body(line: Line) -> bool:
    """True for the first line of the notice's body (the preamble or a heading); never page
    chrome, even one that starts with a date ("2024年07月01日 来源：…")."""
    text = line.text
    if is_chrome(text):
        return False
    return (
        "。" in text
        or len(text) >= 120
        or _BODY_START.match(text) is not None
        or line.heading is not None
    )


@attrs.define(slots=True)
class Front:
    """What comes before the body.

    Attributes:
        title: the title, its lines joined, if there is one.
        title_line: the line the title starts on.
        published_hint: the page's publication date (发布时间), for when no signature has one.
        body_start: the index (into the lines) of the body's first line.
        body: the inspected body as the title names it.
        kind: the inspection kind as the title names it.
        round: the round as the title names it.
    """

    title: str | None = None
    title_line: int | None = None
    published_hint: FuzzyDate | None = None
    body_start: int = 0
    body: str | None = None
    kind: InspectionKind | None = None
    round: str | None = None


def _blocks(lines: Sequence[Line], front: Front) -> list[list[Line]]:
    """The runs of text lines before the body, split at blank lines and at chrome lines (which
    are dropped, the page's 发布时间 kept as a hint)."""
    blocks: list[list[Line]] = []
    run: list[Line] = []
    for line in lines:
        if line.text and not is_chrome(line.text):
            run.append(line)
            continue
        if line.text and _PUBLISHED_CHROME.search(line.text) and front.published_hint is None:
            front.published_hint = read_iso_date(line.text)
        if run:
            blocks.append(run)
            run = []
    if run:
        blocks.append(run)
    return blocks


def _is_title(block: list[Line]) -> bool:
    return (
        len(block) <= 4
        and all(len(line.text) <= 200 for line in block)
        and _TITLE_WORDS.search("".join(line.text for line in block)) is not None
    )


def read_front(lines: Sequence[Line], notes: Notes) -> Front:
    """Read the chrome and the title before the body.

    The title is the last block of text (up to four short lines) before the body that reads as
    one; page chrome around it (breadcrumbs, 发布时间/来源/浏览次数, 字号, 打印本页) does not
    hide it. Any other text there is reported as unread.
    """
    front = Front()
    start = next((i for i, line in enumerate(lines) if line.text and _is_body(line)), None)
    front.body_start = len(lines) if start is None else start
    blocks = _blocks(lines[: front.body_start], front)
    titled = next((i for i in range(len(blocks) - 1, -1, -1) if _is_title(blocks[i])), None)
    if titled is None:
        if blocks:
            run = blocks[-1]
            text = "".join(line.text for line in run) if len(run) <= 4 else run[0].text
            notes.skip(run[0].number, text, N_("text before the preamble that is not a title"))
        return front
    for block in blocks[titled + 1 :]:
        notes.skip(
            block[0].number,
            "".join(line.text for line in block[:4]),
            N_("text between the title and the preamble that is neither the title nor page chrome"),
        )
    run = blocks[titled]
    title = "".join(line.text for line in run)
    front.title = title
    front.title_line = run[0].number
    match = _TITLE.match(title)
    if match is not None:
        front.body = clean_text(match["body"]) or None
        front.round = clean_text(match["round"]) or None
        front.kind = _KINDS[match["kind"]]
    else:
        kind = re.search(_KIND_WORD, title)
        front.kind = _KINDS[kind.group(0)] if kind else None
        body = title.split("关于", 1)[0] if "关于" in title else None
        front.body = clean_text(body) if body else None
    return front


# -- dated steps ------------------------------------------------------------------------------

_PLAN_TITLE = re.compile(r"《([^》\n]{1,200})》")
_PLAN_VERB = re.compile(r"通过|制定|印发|出台|审议|研究")
_REPORT = re.compile(r"(?:报送|提交|上报|呈报|报告了).{0,30}?报告|报告.{0,10}?(?:报送|提交|上报)")
_MEETING = re.compile(r"(?:召开了?|举行了?|举办了?)(?P<name>[^，,。；;：:]{1,60})")
_ONSITE_WORDS = re.compile(r"进驻|开展了?(?:" + _KIND_WORD + r")|进行了?(?:" + _KIND_WORD + r")")
_TEAM_BEFORE_OBJECT = re.compile(r"^[，,、\s]*(?:由)?(?P<team>[^，,。；;\s]{1,40}?)(?:于)?对")
_TEAM_BEFORE_FEEDBACK = re.compile(r"^[，,、\s]*(?P<team>[^，,。；;\s]{1,40}?)向")
_DEPLOYED_BY = re.compile(r"根据(?P<body>[^，,。；;]{1,30}?)(?:的)?统一部署")
_ROUND = re.compile(
    r"根据(?P<round>[^，,。；;“”]{1,40}?)(?P<kind>" + _KIND_WORD + r")(?:工作)?(?:部署|安排)"
)
_LEADING_GROUP = re.compile(
    r"成立了?(?:以[^，,。；;]{1,30}?为组长的)?(?P<name>[^，,。；;、]{0,30}?领导(?:小)?组)"
)
_DISCLOSURE = re.compile(r"予以公布|予以公开|现予公布|公布如下|予以通报|通报如下|予以公示")
_ORGAN_END = ("委", "党委", "党组", "委员会", "工委")


def organ_of(text: str) -> str | None:
    """The inspecting body inside a round or team: 八届市委第四轮 → 市委; 市委第二巡察组 → 市委."""
    text = re.sub(r"^[一二三四五六七八九十\d]{1,4}届", "", text)
    organ = text.split("第", 1)[0]
    return organ if organ.endswith(_ORGAN_END) else None


@attrs.define(slots=True)
class Steps:
    """What the preamble and the organisational section say, with dates placed.

    Attributes mirror the case's fields; ``disclosed`` says the notice presents itself as a
    publication (予以公布).
    """

    kind: InspectionKind | None = None
    body: str | None = None
    team: str | None = None
    round: str | None = None
    onsite: Period | None = None
    feedback_on: FuzzyDate | None = None
    plan: Plan | None = None
    centralised: Period | None = None
    report_on: FuzzyDate | None = None
    milestones: list[Milestone] = attrs.Factory(list)
    leading_group: LeadingGroup | None = None
    disclosed: bool = False


def _place_period(steps: Steps, period: Period, clause: str) -> str | None:
    """Put a period where its clause says it belongs; the field's name, or None."""
    if "整改" in clause:
        if steps.centralised is None:
            steps.centralised = period
            return "centralised"
        return N_("a second centralised period")
    if _ONSITE_WORDS.search(clause) or re.search(_KIND_WORD, clause):
        if steps.onsite is None:
            steps.onsite = period
            team = _TEAM_BEFORE_OBJECT.match(clause)
            if team is not None and steps.team is None:
                steps.team = clean_text(team["team"]) or None
            return "onsite"
        return N_("a second on-site period")
    return None


def _place_date(steps: Steps, date: FuzzyDate, clause: str) -> str | None:
    """Put a single date where its clause says it belongs; the field's name, or None."""
    title = _PLAN_TITLE.search(clause)
    if (title is not None and _PLAN_VERB.search(clause[: title.start()])) or (
        "方案" in clause and _PLAN_VERB.search(clause)
    ):
        if steps.plan is None or steps.plan.adopted_on is None:
            name = clean_text(title[1]) if title is not None else None
            steps.plan = Plan(date, name or (steps.plan.title if steps.plan else None))
            return "plan"
        return N_("a second plan adoption")
    if "反馈" in clause:
        if steps.feedback_on is None:
            steps.feedback_on = date
            team = _TEAM_BEFORE_FEEDBACK.match(clause)
            if team is not None and steps.team is None:
                steps.team = clean_text(team["team"]) or None
            return "feedback"
        return N_("a second feedback date")
    if _REPORT.search(clause):
        if steps.report_on is None:
            steps.report_on = date
            return "report"
        return N_("a second report date")
    meeting = _MEETING.search(clause)
    if meeting is not None:
        name = clean_text(meeting["name"])
        if name:
            steps.milestones.append(Milestone(name, date))
            return "milestone"
    return None


def _read_sentence(
    steps: Steps, line: Line, sentence: str, years: YearContext, notes: Notes
) -> None:
    readings = read_dates(sentence, years)
    for index, reading in enumerate(readings):
        if reading.value is None:
            notes.skip(line.number, reading.text, reading.reason or N_("not a date"))
            continue
        if reading.note:
            notes.warn(
                line.number,
                Msg("{text}: {note}", text=reading.text, note=Msg.of(reading.note)),
            )
        following = readings[index + 1].start if index + 1 < len(readings) else len(sentence)
        clause = sentence[reading.end : following]
        if isinstance(reading.value, Period):
            placed = _place_period(steps, reading.value, clause)
        else:
            placed = _place_date(steps, reading.value, clause)
        if placed is None:
            notes.skip(
                line.number,
                sentence,
                Msg(
                    "the date {text} is not placed: its clause names no on-site period "
                    "(进驻/开展巡察), feedback (反馈), plan (通过…方案), "
                    "centralised period (整改), report (报送…报告) or meeting (召开…)",
                    text=reading.text,
                ),
            )
        elif placed.startswith("a second"):
            notes.skip(
                line.number,
                sentence,
                Msg(
                    "{placed} ({text}); the first was kept",
                    placed=Msg.of(placed),
                    text=reading.text,
                ),
            )
    if not readings:
        _read_undated_plan(steps, sentence)


def _read_undated_plan(steps: Steps, sentence: str) -> None:
    """ "研究制定了《…方案》" without a date still names the plan."""
    title = _PLAN_TITLE.search(sentence)
    if steps.plan is None and title is not None and _PLAN_VERB.search(sentence[: title.start()]):
        steps.plan = Plan(None, clean_text(title[1]) or None)


def read_steps(front: Front, paragraphs: Sequence[Line], notes: Notes) -> Steps:
    """Read the inspection and the dated steps from the preamble and organisational lines."""
    steps = Steps(kind=front.kind, body=None, round=front.round)
    years = YearContext()
    for line in paragraphs:
        text = line.text
        if not text:
            continue
        if steps.round is None:
            found = _ROUND.search(text)
            if found is not None and re.search(r"轮|批", found["round"]):
                steps.round = clean_text(found["round"]) or None
        if steps.body is None:
            deployed = _DEPLOYED_BY.search(text)
            if deployed is not None:
                steps.body = clean_text(deployed["body"]) or None
        if steps.kind is None:
            kind = re.search(_KIND_WORD, text)
            if kind is not None:
                steps.kind = _KINDS[kind.group(0)]
        if steps.leading_group is None:
            group = _LEADING_GROUP.search(text)
            if group is not None and clean_text(group["name"]):
                steps.leading_group = LeadingGroup(clean_text(group["name"]))
        if _DISCLOSURE.search(text):
            steps.disclosed = True
        for _, sentence in sentences(text):
            _read_sentence(steps, line, sentence, years, notes)
    if steps.body is None:
        for source in (steps.round, steps.team):
            if source and (organ := organ_of(source)):
                steps.body = organ
                break
    return steps
