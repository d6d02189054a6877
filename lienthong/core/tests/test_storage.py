"""The local file store writes complete files to disk before it hands their names back."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile, File

from lienthong.core.storage import DurableFileSystemStorage


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".incoming-*"))


def test_a_saved_file_holds_its_bytes_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    store = DurableFileSystemStorage(location=str(tmp_path))
    name = store.save("ab/cd/abcdef", ContentFile(b"%PDF-1.7 whole file"))
    assert name == "ab/cd/abcdef"
    assert (tmp_path / "ab" / "cd" / "abcdef").read_bytes() == b"%PDF-1.7 whole file"
    assert _leftovers(tmp_path) == []


def test_a_name_already_taken_is_never_overwritten(tmp_path: Path) -> None:
    store = DurableFileSystemStorage(location=str(tmp_path))
    first = store.save("x/report.pdf", ContentFile(b"first"))
    second = store.save("x/report.pdf", ContentFile(b"second"))
    assert first == "x/report.pdf" and second != first
    assert (tmp_path / first).read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"


class _BrokenUpload(File):
    """An upload whose connection drops after the first chunk."""

    def __init__(self) -> None:
        super().__init__(None, name="broken.pdf")

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield b"%PDF-1.7 first half"
        raise ConnectionResetError("client went away")


def test_a_write_that_fails_halfway_leaves_nothing_under_the_name(tmp_path: Path) -> None:
    store = DurableFileSystemStorage(location=str(tmp_path))
    with pytest.raises(ConnectionResetError):
        store.save("ab/abcdef", _BrokenUpload())
    assert not store.exists("ab/abcdef")
    assert _leftovers(tmp_path) == []


def test_the_file_its_folder_and_every_new_folder_are_flushed_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    store = DurableFileSystemStorage(location=str(tmp_path / "files"))
    store.save("ab/cd/abcdef", ContentFile(b"bytes"))
    root = tmp_path / "files"
    incoming = [path for path in flushed if ".incoming-" in path]
    folders = [path for path in flushed if ".incoming-" not in path]
    # The temporary file before it got its name; each new folder in its parent; last, the file's own folder.
    assert len(incoming) == 1 and incoming[0].startswith(str(root / "ab" / "cd" / ".incoming-"))
    assert flushed.index(incoming[0]) < len(flushed) - 1 and folders[-1] == str(root / "ab" / "cd")
    assert set(folders) == {str(tmp_path), str(root), str(root / "ab"), str(root / "ab" / "cd")}
    flushed.clear()
    store.save("ab/cd/other", ContentFile(b"more"))
    assert len(flushed) == 2 and ".incoming-" in flushed[0] and flushed[1] == str(root / "ab" / "cd")


def test_folder_and_file_permissions_are_those_configured(tmp_path: Path) -> None:
    store = DurableFileSystemStorage(
        location=str(tmp_path), file_permissions_mode=0o640, directory_permissions_mode=0o750
    )
    store.save("ab/cd/abcdef", ContentFile(b"bytes"))
    assert (tmp_path / "ab").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "ab" / "cd").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "ab" / "cd" / "abcdef").stat().st_mode & 0o777 == 0o640


def test_on_a_file_system_without_hard_links_files_are_still_saved_whole_and_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_hard_links(source: str, target: str) -> None:
        raise OSError(errno.EPERM, "Operation not permitted", target)

    monkeypatch.setattr(os, "link", no_hard_links)
    store = DurableFileSystemStorage(location=str(tmp_path))
    first = store.save("ab/abcdef", ContentFile(b"first"))
    second = store.save("ab/abcdef", ContentFile(b"second"))
    assert first == "ab/abcdef" and second != first
    assert (tmp_path / first).read_bytes() == b"first" and (tmp_path / second).read_bytes() == b"second"
    assert _leftovers(tmp_path) == []


def test_any_other_failure_to_name_the_file_is_raised_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: str, target: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", target)

    monkeypatch.setattr(os, "link", disk_full)
    store = DurableFileSystemStorage(location=str(tmp_path))
    with pytest.raises(OSError, match="No space"):
        store.save("ab/abcdef", ContentFile(b"bytes"))
    assert not store.exists("ab/abcdef") and _leftovers(tmp_path) == []
