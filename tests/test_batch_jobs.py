"""The worker processes of ``export --jobs``: results in order, the first
failure in task order, a killed worker reported, and none left behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from openai_structs.batch._jobs import WorkerDied, run_tasks


def square(x: int) -> int:
    time.sleep(0.01 * (x % 3))  # finish out of order
    return x * x


def fail_on(x: int, bad: tuple[int, ...], log: str) -> int:
    with open(log, "a") as f:
        f.write(f"{x}\n")
    if x in bad:
        time.sleep(0.05 * (5 - x))  # the later failure comes back first
        raise ValueError(f"task {x}")
    return x


def die(x: int) -> int:
    if x == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def sleep_then_write(x: int, folder: str) -> int:
    Path(folder, f"{x}.started").write_text(str(os.getpid()))
    time.sleep(30)
    return x


def test_results_come_in_task_order() -> None:
    assert run_tasks(square, [(i,) for i in range(9)], 3) == [i * i for i in range(9)]
    assert run_tasks(square, [], 2) == []


def test_the_first_failure_in_task_order_is_raised(tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    with pytest.raises(ValueError, match="task 2"):
        run_tasks(fail_on, [(i, (2, 3), log) for i in range(8)], 2)
    started = sorted(int(x) for x in Path(log).read_text().split())
    assert 2 in started and max(started) < 8  # no task after a failure starts


def test_a_killed_worker_is_reported_not_waited_for() -> None:
    with pytest.raises(WorkerDied) as info:
        run_tasks(die, [(i,) for i in range(3)], 2)
    assert info.value.task == 1 and info.value.signal == signal.SIGKILL
    assert "SIGKILL" in str(info.value)


def test_an_interrupted_caller_leaves_no_worker_running(tmp_path: Path) -> None:
    """An exception raised in the caller by a signal handler (here SIGALRM,
    as SIGTERM is by the command line) stops and reaps the workers first."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_tasks(sleep_then_write, [(i, str(tmp_path)) for i in range(4)], 2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    pids = [int(p.read_text()) for p in tmp_path.glob("*.started")]
    assert len(pids) == 2  # two at a time
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
