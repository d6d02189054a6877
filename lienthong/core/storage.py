"""The local file store: Django's file-system storage, made durable before a file's name is handed back.

Django's ``FileSystemStorage`` writes straight to the final name and never calls ``fsync``. A dossier or a
document commits its row right after the file is saved, so after a power cut the database could name a file the
disk never got, or — worse for a store addressed by content hash — a half-written file could sit under the hash
of the whole one and be reused by the next upload of the same bytes.

:class:`DurableFileSystemStorage` writes to a temporary file in the target folder, flushes it to disk, links it
under its name (never replacing a file already there) and flushes the folder, so a name that exists always holds
complete bytes that survive a crash. Its cost is one or two disk flushes per file (bench/README.md, dossier
intake with components).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def _flush_folder(path: str) -> None:
    """Make the folder's entries (a new name linked into it) durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# What link() answers on a file system without hard links (FAT, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS}


def _publish(incoming: str, full_path: str) -> None:
    """Give the complete, flushed file ``incoming`` its name; ``FileExistsError`` when the name is taken."""
    try:
        # A link, not a rename: it fails rather than replace a file another writer stored first.
        os.link(incoming, full_path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        # Claim the name (refused if taken), then move the complete bytes over the claim. Only a crash inside
        # this window leaves an empty file under the name, and reading a stored file checks its hash.
        os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(incoming, full_path)


@deconstructible(path="lienthong.core.storage.DurableFileSystemStorage")
class DurableFileSystemStorage(FileSystemStorage):
    """File-system storage whose saved files are complete and on disk when ``save()`` returns."""

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._make_folder(directory)
        handle, incoming = tempfile.mkstemp(dir=directory, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(incoming, self.file_permissions_mode)
            while True:
                try:
                    _publish(incoming, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):  # moved, on a file system without hard links
                os.unlink(incoming)
        _flush_folder(directory)
        self._ensure_location_group_id(full_path)  # type: ignore[attr-defined]  # Django 5.2, not in the stubs
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _make_folder(self, directory: str) -> None:
        """Create ``directory`` and its missing parents, each with the configured mode and flushed into its
        parent, so a crash cannot lose the path to a file already reported saved."""
        missing = []
        folder = directory
        while not os.path.isdir(folder):
            if os.path.lexists(folder):
                raise FileExistsError(f"{folder} exists and is not a directory.")
            missing.append(folder)
            folder = os.path.dirname(folder)
        for created in reversed(missing):
            try:
                os.mkdir(created)
            except FileExistsError:
                if not os.path.isdir(created):
                    raise
                continue  # another writer made it first
            if self.directory_permissions_mode is not None:
                os.chmod(created, self.directory_permissions_mode)  # mkdir's mode is cut by the umask
            _flush_folder(os.path.dirname(created))
