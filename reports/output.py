"""Write report files all-or-nothing: into a temporary folder first, then moved into place.

A failure half-way (an error, a full disk, Ctrl+C) leaves the destination as it was: no partial
workbook, no CSV of a different run beside it. Files already in the destination that the new run
does not write are kept (the destination may be a folder the user also uses for other things),
except the report files of an earlier run that this one does not write (``replaces``): a
diagnosis.csv of an infeasible run must not sit beside the plan of a feasible one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
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
def staged_output(destination: Path | str, replaces: Collection[str] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder; on success publish its files into ``destination``.

    The temporary folder sits beside the destination (same file system, so moves are renames).
    On any exception it is removed, with any parent folders this call created, and the exception
    propagates.
    """
    destination = Path(destination).resolve()
    check_destination(destination)
    created = _missing_parents(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    _remove_stray_staging(destination)
    staging = Path(
        tempfile.mkdtemp(prefix=_staging_prefix(destination, os.getpid()), dir=destination.parent)
    )
    staging.chmod(_folder_mode())  # mkdtemp makes it private; the published folder should not be
    try:
        yield staging
        publish(staging, destination, replaces)
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


def _staging_prefix(destination: Path, pid: int) -> str:
    return f".{destination.name}.ntm-{pid}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _remove_stray_staging(destination: Path) -> None:
    """Remove staging folders left beside ``destination`` by a process that was killed (SIGKILL,
    a power cut) before it could clean up; a live process's folder is left alone."""
    if not destination.parent.is_dir():
        return
    for stray in destination.parent.glob(f".{destination.name}.ntm-*"):
        pid_text = stray.name.removeprefix(f".{destination.name}.ntm-").split(".", 1)[0]
        if stray.is_dir() and pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(stray, ignore_errors=True)


def check_destination(destination: Path | str) -> None:
    """Raise NotADirectoryError when ``destination`` (or an ancestor) exists but is not a folder."""
    destination = Path(destination)
    for path in (destination, *destination.parents):
        if path.exists():
            if not path.is_dir():
                raise NotADirectoryError(f"{path} exists and is not a folder")
            return


def publish(staging: Path, destination: Path, replaces: Collection[str] = ()) -> list[Path]:
    """Move every file of ``staging`` into ``destination`` (one rename when it does not exist).

    All or nothing: the files it replaces are first set aside; if any move fails, the new files
    already moved are taken back and the old ones restored, so the destination is as it was.
    In every folder it writes to, a file named in ``replaces`` that this run did not write (a
    report file of an earlier run) is set aside too, and so removed."""
    if not destination.exists():
        os.replace(staging, destination)
        return sorted(p for p in destination.rglob("*") if p.is_file())
    if not destination.is_dir():
        raise NotADirectoryError(f"{destination} exists and is not a folder")
    backup = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old.", dir=destination.parent))
    moved: list[Path] = []
    set_aside: list[tuple[Path, Path]] = []
    created: list[Path] = []
    try:
        for path in sorted(staging.rglob("*")):
            if path.is_dir():
                continue
            relative = path.relative_to(staging)
            target = destination / relative
            if not target.parent.exists():
                target.parent.mkdir(parents=True)
                created.append(target.parent)
            if target.exists() or target.is_symlink():
                if target.is_dir():
                    raise IsADirectoryError(
                        f"{target} is a folder; cannot write the file {relative}"
                    )
                kept = backup / relative
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, kept)
                set_aside.append((kept, target))
            os.replace(path, target)
            moved.append(target)
        written = set(moved)
        for folder in sorted({target.parent for target in moved}):
            for stale in sorted(folder.iterdir()):
                if stale.name in replaces and stale not in written and stale.is_file():
                    kept = backup / stale.relative_to(destination)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(stale, kept)
                    set_aside.append((kept, stale))
    except BaseException:
        for target in reversed(moved):
            with suppress(OSError):
                os.replace(target, staging / target.relative_to(destination))
        restored = 0
        for kept, target in reversed(set_aside):
            with suppress(OSError):
                os.replace(kept, target)
                restored += 1
        for folder in reversed(created):
            with suppress(OSError):
                folder.rmdir()
        if restored == len(set_aside):  # else the old files are still in the backup: keep it
            shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)
    return moved
