"""Where case files are read and written: through symlinks to their target (one lock, one file,
the link kept, mode and owner kept), only regular files, none larger than MAX_INPUT_BYTES."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from pathlib import Path

import pytest

from rectflow import Case, Category, Measure, Problem, fire, load_case, save_case
from rectflow._inputs import MAX_INPUT_BYTES
from rectflow.errors import CaseFileError, ConflictError

ON = dt.date(2024, 5, 1)


@pytest.fixture
def real(tmp_path: Path) -> Path:
    """A saved case file (version 1) in a folder of its own."""
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "case.toml"
    problem = Problem("1.1", measures=[Measure("1.1.1"), Measure("1.1.2")])
    save_case(Case("c", categories=[Category("1", problems=[problem])]), path)
    return path


@pytest.fixture
def link(tmp_path: Path, real: Path) -> Path:
    """A symlink to the case file, in another folder."""
    path = tmp_path / "case-link.toml"
    path.symlink_to(real)
    return path


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(
    real: Path, link: Path
) -> None:
    """The link stays a link to the same file, which now holds version 2."""
    case = load_case(link)
    fire(case, "start", item="1.1.1", on=ON)
    save_case(case, link)
    assert link.is_symlink()
    assert link.resolve() == real
    assert load_case(real).version == 2
    assert load_case(real).item("1.1.1").state.value == "in_progress"


def test_a_save_through_a_link_leaves_nothing_beside_the_target_or_the_link(
    real: Path, link: Path
) -> None:
    """The sidecar lock (named after the resolved file) is gone after the save, as are the
    temporaries; nothing was ever put beside the link."""
    save_case(load_case(link), link)
    assert sorted(p.name for p in real.parent.iterdir()) == ["case.toml"]
    assert sorted(p.name for p in link.parent.iterdir()) == ["case-link.toml", "store"]


@pytest.mark.parametrize("first_via_link", [True, False])
def test_a_writer_through_the_link_and_one_through_the_real_path_conflict(
    real: Path, link: Path, first_via_link: bool
) -> None:
    """Both loaded version 1: the second to save gets ConflictError, the first one's work stays."""
    first, second = (link, real) if first_via_link else (real, link)
    one, other = load_case(first), load_case(second)
    fire(one, "start", item="1.1.1", on=ON)
    fire(other, "start", item="1.1.2", on=ON)
    save_case(one, first)
    with pytest.raises(ConflictError) as raised:
        save_case(other, second)
    assert (raised.value.expected_version, raised.value.found_version) == (1, 2)
    on_disk = load_case(real)
    assert [e.target for e in on_disk.events] == ["1.1.1"]


def test_saving_keeps_the_mode_of_the_file(real: Path, link: Path) -> None:
    """A file made group-readable only stays so after a save through the link."""
    real.chmod(0o640)
    save_case(load_case(link), link)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_saving_as_root_keeps_the_owner_of_the_file(real: Path, link: Path) -> None:
    """Root saving another user's file gives the new file back to that user."""
    os.chown(real, 4321, 4322)
    save_case(load_case(link), link)
    found = real.stat()
    assert (found.st_uid, found.st_gid) == (4321, 4322)


def test_a_dangling_link_saves_a_new_file_at_its_target(tmp_path: Path) -> None:
    """A link to a file not yet there: the file is created where the link points."""
    target = tmp_path / "new.toml"
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    save_case(Case("c"), link)
    assert link.is_symlink()
    assert load_case(target).version == 1


@pytest.mark.parametrize("kind", ["fifo", "dev-null-link", "folder"])
def test_save_case_never_replaces_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """A FIFO, a link to /dev/null and a folder are refused and left as they were."""
    path = tmp_path / "case.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-null-link":
        path.symlink_to("/dev/null")
    else:
        path.mkdir()
    with pytest.raises(CaseFileError) as raised:
        save_case(Case("c"), path)
    assert "not a regular file" in raised.value.reason
    if kind == "fifo":
        assert stat.S_ISFIFO(path.stat().st_mode)
    elif kind == "dev-null-link":
        assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
        assert path.is_symlink()
    else:
        assert path.is_dir()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("kind", ["fifo", "folder", "dev-null"])
def test_load_case_refuses_what_is_not_a_regular_file_without_waiting(
    tmp_path: Path, kind: str
) -> None:
    """A FIFO with no writer is refused at once, not waited on; so are a folder and a device."""
    path = tmp_path / "case.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path = Path("/dev/null")
    started = time.monotonic()
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    assert time.monotonic() - started < 5
    assert "not a regular file" in raised.value.reason


def test_load_case_refuses_a_file_larger_than_the_limit_before_reading_it(tmp_path: Path) -> None:
    """A sparse file one byte past MAX_INPUT_BYTES: refused by its size, in an instant."""
    path = tmp_path / "case.toml"
    with path.open("wb") as out:
        out.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    assert "MAX_INPUT_BYTES" in raised.value.reason
    assert "128 MiB" in raised.value.reason
