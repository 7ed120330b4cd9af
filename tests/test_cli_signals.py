"""SIGTERM stops a command as Ctrl+C does: exit 130, nothing written, no temporary folder left."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import EXIT_INTERRUPTED

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "son_la_2021_2025.yaml"


@pytest.mark.slow
def test_sigterm_during_a_solve_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "report"
    command = [sys.executable, "-m", "cli.main", "run", str(SCENARIO), "--no-record",
               "--no-baselines", "--out", str(out)]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 120
    for line in process.stderr:  # wait until the solve has begun
        if "solving" in line.lower() or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGTERM)
    try:
        _, rest = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == EXIT_INTERRUPTED, rest
    assert "interrupted; no output written" in rest
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.")]


def test_a_staging_folder_left_by_a_killed_process_is_removed_by_the_next_report(
    tmp_path: Path,
) -> None:
    """SIGKILL leaves no chance to clean up; the next report beside it removes the leftover of the
    dead process, and leaves a live process's folder alone."""
    from reports.output import staged_output

    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    stray = tmp_path / f".report.ntm-{killed.pid}.abc123"
    stray.mkdir()
    (stray / "plan.json").write_text("{}", encoding="utf-8")
    live = tmp_path / f".report.ntm-{__import__('os').getppid()}.def456"
    live.mkdir()
    with staged_output(tmp_path / "report") as staging:
        (staging / "plan.json").write_text('{"new": true}', encoding="utf-8")
    assert not stray.exists() and live.exists()
    assert (tmp_path / "report" / "plan.json").read_text(encoding="utf-8") == '{"new": true}'


def test_a_destination_left_as_a_backup_by_a_killed_process_is_put_back_first(
    tmp_path: Path,
) -> None:
    """Where folders cannot be exchanged in one step, a process killed between its two renames
    leaves the old report as a backup and no destination: the next report puts it back, then
    publishes over it, keeping the user's file; nothing is left beside it."""
    from reports.output import BACKUP_SUFFIX, staged_output

    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    backup = tmp_path / f".report.ntm-{killed.pid}.abc123{BACKUP_SUFFIX}"
    backup.mkdir()
    (backup / "plan.json").write_text('{"old": true}', encoding="utf-8")
    (backup / "notes.txt").write_text("mine", encoding="utf-8")
    staged = tmp_path / f".report.ntm-{killed.pid}.abc123"  # its new folder, complete or not
    staged.mkdir()
    with staged_output(tmp_path / "report") as staging:
        assert (tmp_path / "report" / "notes.txt").read_text(encoding="utf-8") == "mine"
        (staging / "plan.json").write_text('{"new": true}', encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
    report = tmp_path / "report"
    assert (report / "plan.json").read_text(encoding="utf-8") == '{"new": true}'
    assert (report / "notes.txt").read_text(encoding="utf-8") == "mine"
