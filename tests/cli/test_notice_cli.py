"""``rectflow import`` and ``rectflow render`` from the shell."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import rectflow
from rectflow._cli.main import main

NOTICE = "\n".join(
    [
        "中共某某医院委员会关于巡察整改进展情况的通报",
        "",
        "根据市委统一部署，2023年3月6日至5月10日，市委第一巡察组对中共某某医院委员会开展了巡察。"
        "6月20日，市委第一巡察组向中共某某医院委员会反馈了巡察意见。"
        "2024717日至830日，院党委开展了集中整改。现将巡察整改进展情况予以公布。",
        "一、巡察整改任务落实情况",
        "（一）关于党建工作方面",
        "1.学习制度执行不严格",
        "整改措施及进展：一是修订学习制度（已完成）；二是每月检查学习记录。",
        "欢迎广大干部群众进行监督。联系电话：0000-1234567。",
        "中共某某医院委员会",
        "2024年1月8日",
    ]
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``rectflow`` as the shell does: user mistakes exit 2 with one line."""
    try:
        code = main(list(args))
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return int(code or 0), out, err


@pytest.fixture
def notice_file(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


def test_import_writes_the_case_file_and_lists_what_it_could_not_read(
    capsys: pytest.CaptureFixture[str], notice_file: Path, tmp_path: Path
) -> None:
    """The case file loads as the import; the garbled date and the inferred year go to stderr."""
    output = tmp_path / "case.toml"
    code, out, err = run(capsys, "import", str(notice_file), "-o", str(output))
    loaded = rectflow.load_case(output)
    loaded.version = 0
    assert (code, out, loaded, "line 3: not read: garbled date" in err, "year 2023" in err) == (
        0,
        "",
        rectflow.parse_notice(NOTICE).case,
        True,
        True,
    )


def test_import_reads_standard_input_and_prints_toml(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-`` reads the notice from standard input; without -o the case file goes to stdout."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(NOTICE.encode("utf-8"))))
    code, out, _ = run(capsys, "import", "-")
    assert (code, rectflow.loads_case(out)) == (0, rectflow.parse_notice(NOTICE).case)


def test_import_as_json_carries_the_case_the_unread_pieces_and_the_warnings(
    capsys: pytest.CaptureFixture[str], notice_file: Path
) -> None:
    """The case as the case-file schema has it (ISO dates), plus ``unread`` and ``warnings``."""
    code, out, _ = run(capsys, "import", str(notice_file), "--format", "json")
    document = json.loads(out)
    result = rectflow.parse_notice(NOTICE)
    assert (
        code,
        document["case"]["feedback_on"],
        document["unread"],
        [w["line"] for w in document["warnings"]],
    ) == (
        0,
        "2023-06-20?",
        [{"line": u.line, "text": u.text, "reason": u.reason} for u in result.unread],
        [w.line for w in result.warnings],
    )


def test_import_keeps_accountability_counts_in_json_and_names_them_otherwise(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A notice stating 问责 counts: JSON carries them by form; a case file cannot, so standard
    error names them instead of dropping them silently."""
    path = tmp_path / "notice.txt"
    path.write_text(
        NOTICE.replace("一、巡察整改任务落实情况", "一、巡察整改主体责任落实情况\n"
                       "严肃追责问责，共问责7人，其中批评教育5人、诫勉谈话2人。\n"
                       "二、巡察整改任务落实情况"),
        encoding="utf-8",
    )  # fmt: skip
    code, out, err = run(capsys, "import", str(path), "--format", "json")
    assert (code, json.loads(out)["accountability"], "accountability counts" in err) == (
        0,
        {"criticism": 5, "admonishing_talk": 2},
        False,
    )
    code, _, err = run(capsys, "import", str(path))
    assert code == 0
    assert (
        "notice: accountability counts read but not kept in the case file (it records each "
        "decision with its date): 批评教育5人、诫勉谈话2人; --format json keeps them"
    ) in err


def test_import_reads_gbk_text_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A notice saved as GBK is read, and standard error says so."""
    path = tmp_path / "notice-gbk.txt"
    path.write_bytes(NOTICE.encode("gbk"))
    code, out, err = run(capsys, "import", str(path))
    assert (code, rectflow.loads_case(out), "GB18030" in err) == (
        0,
        rectflow.parse_notice(NOTICE).case,
        True,
    )


def test_import_does_not_replace_a_file_unless_forced(
    capsys: pytest.CaptureFixture[str], notice_file: Path, tmp_path: Path
) -> None:
    """An existing output is kept (exit 2, one line); --force replaces it atomically."""
    output = tmp_path / "case.toml"
    output.write_text("keep me", encoding="utf-8")
    refused = run(capsys, "import", str(notice_file), "-o", str(output))
    kept = output.read_text(encoding="utf-8")
    forced = run(capsys, "import", str(notice_file), "-o", str(output), "--force")
    assert (refused[0], "--force" in refused[2], kept, forced[0]) == (2, True, "keep me", 0)
    assert rectflow.load_case(output).inspected_body == "中共某某医院委员会"


def test_import_of_text_that_is_no_notice_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Not a notice: exit 2, one line on standard error, nothing written."""
    path = tmp_path / "poem.txt"
    path.write_text("床前明月光，疑是地上霜。", encoding="utf-8")
    code, out, err = run(capsys, "import", str(path), "-o", str(tmp_path / "case.toml"))
    assert (code, out, err.count("\n"), (tmp_path / "case.toml").exists()) == (2, "", 1, False)


def test_import_of_a_missing_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file that is not there is the user's mistake."""
    code, _, err = run(capsys, "import", str(tmp_path / "nowhere.txt"))
    assert (code, err.startswith("rectflow: error:")) == (2, True)


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_render_prints_the_notice_in_each_format(
    capsys: pytest.CaptureFixture[str], notice_file: Path, tmp_path: Path, output_format: str
) -> None:
    """``render CASE --format F`` prints what render_notice gives for the loaded case."""
    case_file = tmp_path / "case.toml"
    run(capsys, "import", str(notice_file), "-o", str(case_file))
    code, out, _ = run(capsys, "render", str(case_file), "--format", output_format)
    expected = rectflow.render_notice(rectflow.load_case(case_file), output_format)  # type: ignore[arg-type]
    assert (code, out) == (0, expected)


def test_render_writes_the_file_given_with_o(
    capsys: pytest.CaptureFixture[str], notice_file: Path, tmp_path: Path
) -> None:
    """-o writes the notice (atomically) and prints nothing; the text reads back."""
    case_file, rendered = tmp_path / "case.toml", tmp_path / "notice-out.txt"
    run(capsys, "import", str(notice_file), "-o", str(case_file))
    code, out, _ = run(capsys, "render", str(case_file), "-o", str(rendered))
    case = rectflow.load_case(case_file)
    again = rectflow.parse_notice(rendered.read_text(encoding="utf-8")).case
    assert (code, out, again) == (0, "", rectflow.public_projection(case))


def test_render_of_a_broken_case_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A case file that does not load: exit 2 and the case-file error's one line."""
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = 1\nid = [", encoding="utf-8")
    code, _, err = run(capsys, "render", str(broken))
    assert (code, "broken.toml" in err, err.count("\n")) == (2, True, 1)


def test_render_html_is_a_document_and_fragment_gives_the_article(
    capsys: pytest.CaptureFixture[str], notice_file: Path, tmp_path: Path
) -> None:
    """``--format html`` prints a whole document; ``--fragment`` only the <article>."""
    case_file = tmp_path / "case.toml"
    run(capsys, "import", str(notice_file), "-o", str(case_file))
    _, document, _ = run(capsys, "render", str(case_file), "--format", "html")
    _, fragment, _ = run(capsys, "render", str(case_file), "--format", "html", "--fragment")
    assert (document.startswith("<!doctype html>"), fragment.startswith("<article")) == (
        True,
        True,
    )


def test_render_fragment_without_html_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], notice_file: Path, tmp_path: Path
) -> None:
    """Text and Markdown have no page to leave out: --fragment with them exits 2."""
    case_file = tmp_path / "case.toml"
    run(capsys, "import", str(notice_file), "-o", str(case_file))
    code, out, err = run(capsys, "render", str(case_file), "--fragment")
    assert (code, out, "--fragment needs --format html" in err) == (2, "", True)
