"""Kill tests of publishing a report (reports.output): SIGKILL and SIGTERM at every moment of
publishing leave the destination holding the old report or the new one, never a mix, with the
user's own file kept; the next report removes whatever the killed process left beside it.

A child process (forked from this one, so it starts at once) publishes a new report of fixed
files over an old one, with ``NTM_PUBLISH_STEP_DELAY`` slowing each step; it is killed at moments
spread over the whole publishing. SIGTERM goes through the command line's own handler (it ends a
command as Ctrl+C does): the process itself leaves the old report or the new one. After SIGKILL
the next report first recovers what it can. Both paths are tried: the one-step exchange of
folders and the two renames used where the exchange is not available.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from cli.main import _terminate_as_interrupt
from reports import PLAN_REPORT_FILES, output

STEP_DELAY = 0.02
"""Seconds per step of publishing in the killed child."""
KILLS = 12
"""Moments per signal and path, spread over the publishing."""
TABLES = ("items", "communes", "payments", "criteria", "summary", "sources", "years", "levels")


def report(label: str) -> dict[str, bytes]:
    """A report's files; every one names its run, so a mix shows."""
    files = {f"{name}.csv": f"run,{label}\n{name},1\n".encode() for name in TABLES}
    files["plan.json"] = f'{{"run": "{label}"}}'.encode()
    files["plan.xlsx"] = f"workbook of {label}".encode() * 100
    files["charts/districts.png"] = f"chart of {label}".encode()
    if label == "old":
        files["diagnosis.csv"] = b"run,old\n"  # a report file the new run does not write
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def write_report(destination: Path, label: str) -> None:
    with output.staged_output(destination, replaces=PLAN_REPORT_FILES) as folder:
        for name, content in report(label).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)


def _publish_new(destination: str, exchange: bool, ready) -> None:
    """The killed child: SIGTERM handled as the command line does; tell the parent once the
    files are written and publishing begins."""
    signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    os.environ[output.STEP_DELAY_ENV] = str(STEP_DELAY)
    if not exchange:
        output.exchange = lambda _first, _second: False  # as on a system without renameat2
    with output.staged_output(Path(destination), replaces=PLAN_REPORT_FILES) as folder:
        for name, content in report("new").items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        ready.send(True)
    os._exit(0)


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """A folder with the old report and a file of the user's."""
    destination = tmp_path / "template" / "report"
    write_report(destination, "old")
    (destination / "notes.txt").write_bytes(b"mine")
    return destination


def start(destination: Path, exchange: bool) -> tuple[multiprocessing.Process, float]:
    """The child, publishing; and when it began to publish."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_publish_new, args=(str(destination), exchange, sender))
    child.start()
    sender.close()
    assert receiver.poll(120), "the child did not get to publishing"
    receiver.recv()
    return child, time.monotonic()


@pytest.mark.slow
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two_renames"])
def test_a_kill_during_publishing_leaves_the_old_report_or_the_new_one(
    old: Path, tmp_path: Path, exchange: bool
) -> None:
    before = snapshot(old)
    finished = tmp_path / "finished" / "report"
    shutil.copytree(old, finished)
    child, began = start(finished, exchange)
    child.join(120)
    assert child.exitcode == 0
    duration = time.monotonic() - began
    after = snapshot(finished)
    assert after == {**report("new"), "notes.txt": b"mine"}
    assert before == {**report("old"), "notes.txt": b"mine"}

    outcomes = []
    for signum in (signal.SIGKILL, signal.SIGTERM):
        for moment in range(KILLS):
            destination = tmp_path / f"{signum.name}-{moment}" / "report"
            shutil.copytree(old, destination)
            child, began = start(destination, exchange)
            time.sleep(max(0.0, began + duration * moment / (KILLS - 2) - time.monotonic()))
            os.kill(child.pid, signum)
            child.join(120)
            if signum == signal.SIGKILL:  # no chance to clean up: the next report recovers
                output.recover(destination)
            found = snapshot(destination)
            assert found in (before, after), f"a mix after {signum.name} at step {moment}"
            outcomes.append(found == after)
            write_report(destination, "next")  # the next report cleans up beside it
            assert [p.name for p in destination.parent.iterdir()] == ["report"]
            assert snapshot(destination) == {**report("next"), "notes.txt": b"mine"}
    assert not all(outcomes) and any(outcomes), "no kill landed before the swap, or none after it"
