"""Write report files all-or-nothing: build the whole new folder, then swap it in with one rename.

The report is written into a staging folder beside the destination (same file system). Files
already in the destination that the new run does not write are kept (the destination may be a
folder the user also uses for other things): they are hard-linked (or, where links are refused,
copied) into the staging folder, except the report files of an earlier run that this one does
not write (``replaces``): a diagnosis.csv of an infeasible run must not sit beside the plan of a
feasible one. Every file and folder is flushed to disk, then the staging folder and the
destination are exchanged in one step (Linux ``renameat2(RENAME_EXCHANGE)``) and the old folder,
now under the staging name, is removed. Where the exchange is not available the destination is
renamed to a backup beside it and the staging folder renamed into its place; a process killed
between the two renames leaves the backup, which the next report into that destination puts back
(:func:`recover`).

So a failure or a kill at any moment (an error, a full disk, Ctrl+C, SIGTERM, SIGKILL) leaves the
destination holding the old report or the new one, never a mix; folders left by a killed process
are removed by the next report into the same destination.

``NTM_PUBLISH_STEP_DELAY`` (seconds) is a test hook only: it sleeps before each step of
publishing, so the kill tests can stop the process at every step.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
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
def staged_output(destination: Path | str, replaces: Collection[str] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder; on success publish its files into ``destination``.

    The temporary folder sits beside the destination (same file system, so the swap is a
    rename). On any exception it is removed, with any parent folders this call created, and the
    exception propagates.
    """
    destination = Path(destination).resolve()
    check_destination(destination)
    created = _missing_parents(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    recover(destination)
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


def _strays(destination: Path) -> Iterator[Path]:
    """Folders beside ``destination`` left by processes that are gone: staging folders, old
    folders swapped out, backups (all named ``.<name>.ntm-<pid>.<...>``)."""
    if not destination.parent.is_dir():
        return
    for stray in sorted(destination.parent.glob(f".{destination.name}.ntm-*")):
        pid_text = stray.name.removeprefix(f".{destination.name}.ntm-").split(".", 1)[0]
        if stray.is_dir() and pid_text.isdigit() and not _alive(int(pid_text)):
            yield stray


def recover(destination: Path | str) -> None:
    """Put back a destination a killed process had renamed to its backup and not yet replaced
    (only where the folders cannot be exchanged in one step)."""
    destination = Path(destination)
    if destination.exists() or destination.is_symlink():
        return
    for stray in _strays(destination):
        if stray.name.endswith(BACKUP_SUFFIX):
            os.replace(stray, destination)
            _sync_folder(destination.parent)
            return


def _remove_stray_staging(destination: Path) -> None:
    """Remove folders left beside ``destination`` by a process that was killed (SIGKILL, a power
    cut) before it could clean up; a live process's folder is left alone. Call :func:`recover`
    first: a backup is the only copy of the report while the destination is missing."""
    for stray in _strays(destination):
        shutil.rmtree(stray, ignore_errors=True)


def check_destination(destination: Path | str) -> None:
    """Raise NotADirectoryError when ``destination`` (or an ancestor) exists but is not a folder."""
    destination = Path(destination)
    for path in (destination, *destination.parents):
        if path.exists():
            if not path.is_dir():
                raise NotADirectoryError(f"{path} exists and is not a folder")
            return


BACKUP_SUFFIX = ".backup"
"""Ends the name of a destination set aside where folders cannot be exchanged in one step."""
STEP_DELAY_ENV = "NTM_PUBLISH_STEP_DELAY"
"""Test hook only: seconds to sleep before each step of publishing (the kill tests)."""
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _step() -> None:
    """Sleep ``NTM_PUBLISH_STEP_DELAY`` seconds (a test hook; unset: nothing)."""
    delay = os.environ.get(STEP_DELAY_ENV)
    if delay:
        time.sleep(float(delay))


def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """glibc's ``renameat2``, or None where there is none (not Linux, an old or another libc)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    int_, text = ctypes.c_int, ctypes.c_char_p
    function.argtypes = [int_, text, int_, text, ctypes.c_uint]
    function.restype = int_
    return function


_RENAMEAT2 = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (``renameat2(RENAME_EXCHANGE)``); False where the system or
    the file system cannot, OSError for any other failure (nothing is changed then)."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _sync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (its files' names) to disk, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # not possible on Windows; renames there are flushed by the system
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _sync_tree(root: Path) -> None:
    """Flush every file of ``root``, then every folder, the deepest first."""
    folders = [root]
    for path in sorted(root.rglob("*")):
        _step()
        if path.is_symlink():
            continue
        if path.is_dir():
            folders.append(path)
        else:
            _sync_file(path)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        _sync_folder(folder)


def _keep(source: Path, target: Path) -> None:
    """A file of the destination into the new folder: a hard link, else a copy."""
    _step()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)


def _carry_over(staging: Path, destination: Path, replaces: Collection[str]) -> None:
    """Into ``staging``, every file and folder of ``destination`` the new run does not write,
    except, in a folder the run writes to, the report files (``replaces``) of an earlier run."""
    written = {p.relative_to(staging) for p in staging.rglob("*") if not p.is_dir()}
    folders_written = {path.parent for path in written}
    for path in sorted(destination.rglob("*")):
        relative = path.relative_to(destination)
        ours = staging / relative
        if path.is_dir() and not path.is_symlink():
            if relative in written:
                raise IsADirectoryError(f"{path} is a folder; cannot write the file {relative}")
            ours.mkdir(exist_ok=True)
            ours.chmod(stat.S_IMODE(path.stat().st_mode))
            continue
        if ours.is_dir() and not ours.is_symlink():
            raise NotADirectoryError(f"{path} is a file; cannot write the folder {relative}")
        if relative in written:
            continue
        if relative.name in replaces and relative.parent in folders_written:
            continue  # a report file of an earlier run that this one does not write
        _keep(path, ours)


def publish(staging: Path, destination: Path, replaces: Collection[str] = ()) -> list[Path]:
    """Make ``staging`` the new ``destination`` in one rename, keeping the destination's other
    files; returns the paths of the files this run wrote, in the destination.

    ``staging`` must sit beside ``destination`` (same file system) and is gone afterwards. In
    every folder the run writes to, a file named in ``replaces`` that this run did not write (a
    report file of an earlier run) is left behind. Until the final rename nothing in the
    destination changes, so an error or a kill leaves it as it was; the old folder, swapped out
    under the staging name, is removed last (by the next report, if this process is killed).
    """
    written = sorted(p.relative_to(staging) for p in staging.rglob("*") if not p.is_dir())
    if destination.exists() and not destination.is_dir():
        raise NotADirectoryError(f"{destination} exists and is not a folder")
    if destination.exists():
        _carry_over(staging, destination, replaces)
        staging.chmod(stat.S_IMODE(destination.stat().st_mode))
    _sync_tree(staging)
    _step()
    if not destination.exists():
        os.replace(staging, destination)
    elif exchange(staging, destination):
        _sync_folder(destination.parent)
        _step()
        shutil.rmtree(staging, ignore_errors=True)  # the old folder now
    else:
        backup = staging.with_name(staging.name + BACKUP_SUFFIX)
        os.replace(destination, backup)
        try:
            _sync_folder(destination.parent)
            _step()
            os.replace(staging, destination)
        except BaseException:  # Ctrl+C or SIGTERM between the renames: the old one goes back
            os.replace(backup, destination)
            raise
        _sync_folder(destination.parent)
        _step()
        shutil.rmtree(backup, ignore_errors=True)
    _sync_folder(destination.parent)
    return [destination / relative for relative in written]
