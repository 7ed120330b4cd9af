"""Write report files all-or-nothing: into a temporary folder first, then moved into place.

A failure half-way (an error, a full disk, Ctrl+C) leaves the destination as it was: no partial
workbook, no CSV of a different run beside it. Files already in the destination that the new run
does not write are kept (the destination may be a folder the user also uses for other things).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _folder_mode() -> int:
    """The mode a new folder gets under the current umask (0o755 with the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _missing_parents(folder: Path) -> list[Path]:
    """Ancestors of ``folder`` (itself excluded) that do not exist yet, outermost first."""
    missing = []
    for parent in folder.parents:
        if parent.exists():
            break
        missing.append(parent)
    return list(reversed(missing))


@contextmanager
def staged_output(destination: Path | str) -> Iterator[Path]:
    """Yield an empty temporary folder; on success publish its files into ``destination``.

    The temporary folder sits beside the destination (same file system, so moves are renames).
    On any exception it is removed, with any parent folders this call created, and the exception
    propagates.
    """
    destination = Path(destination).resolve()
    check_destination(destination)
    created = _missing_parents(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    staging.chmod(_folder_mode())  # mkdtemp makes it private; the published folder should not be
    try:
        yield staging
        publish(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def check_destination(destination: Path | str) -> None:
    """Raise NotADirectoryError when ``destination`` (or an ancestor) exists but is not a folder."""
    destination = Path(destination)
    for path in (destination, *destination.parents):
        if path.exists():
            if not path.is_dir():
                raise NotADirectoryError(f"{path} exists and is not a folder")
            return


def publish(staging: Path, destination: Path) -> list[Path]:
    """Move every file of ``staging`` into ``destination`` (one rename when it does not exist)."""
    if not destination.exists():
        os.replace(staging, destination)
        return sorted(p for p in destination.rglob("*") if p.is_file())
    if not destination.is_dir():
        raise NotADirectoryError(f"{destination} exists and is not a folder")
    moved = []
    for path in sorted(staging.rglob("*")):
        if path.is_dir():
            continue
        target = destination / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(target)
    return moved
