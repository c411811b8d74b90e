"""Running one function over many tasks in worker processes, and stopping them.

``openai-structs batch export --jobs N`` cuts a file into byte ranges and
exports each in a process of its own. :func:`run_tasks` is the small pool
behind it. Each task runs in a fresh process (at most ``jobs`` at a time),
which sends back its result, or its exception, over a pipe. Unlike
:class:`concurrent.futures.ProcessPoolExecutor`, it can be stopped:

- when the caller is interrupted (Ctrl-C, or SIGTERM turned into an
  exception by the command line) or a task fails, the workers still running
  are killed and waited for *before* the exception goes on, so the caller's
  own cleanup (a temporary folder of part files) runs once the last worker is
  gone, and no worker is left behind, orphaned;
- a worker that dies without answering (killed, out of memory) is reported
  as :class:`WorkerDied`, not waited for forever.

Workers take SIGTERM's default action (die at once) and ignore SIGINT: the
parent decides when they stop. Signals are blocked while a worker is forked,
so that none lands in the child before it has set that up.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["WorkerDied", "run_tasks"]

_SIGNALS = {signal.SIGTERM, signal.SIGINT}
_MASK = getattr(signal, "pthread_sigmask", None)


class WorkerDied(RuntimeError):
    """A worker process ended without sending its task's result.

    ``task`` is the task's index; ``signal`` the number of the signal that
    killed it (None if it exited on its own, with ``exitcode``)."""

    def __init__(self, task: int, exitcode: int | None) -> None:
        self.task = task
        self.exitcode = exitcode
        self.signal = -exitcode if exitcode is not None and exitcode < 0 else None
        if self.signal is not None:
            how = f"was killed by {signal.Signals(self.signal).name}"
        else:
            how = f"exited with code {exitcode} without a result"
        super().__init__(f"the worker process of task {task} {how}")


def _work(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """A worker: run ``fn(*args)`` and send ``(ok, result or exception)``."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _MASK is not None:
        _MASK(signal.SIG_UNBLOCK, _SIGNALS)
    try:
        answer: tuple[bool, Any] = (True, fn(*args))
    except Exception as exc:  # noqa: BLE001 (sent back, raised by the caller)
        answer = (False, exc)
    try:
        conn.send(answer)
    except Exception as exc:  # noqa: BLE001 (one that does not pickle: send its text)
        conn.send((False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({exc})")))
    conn.close()


def run_tasks(
    fn: Callable[..., Any],
    tasks: Sequence[tuple[Any, ...]],
    jobs: int,
    *,
    failed: Callable[[int, BaseException], BaseException] | None = None,
    tick: Callable[[], None] | None = None,
) -> list[Any]:
    """Call ``fn(*task)`` for each of ``tasks`` in worker processes, at most
    ``jobs`` at a time, started in order; return the results in task order.

    If a task fails, its exception is raised once every task before it has
    succeeded (so the error reported is the first in task order), and no
    task after it is started; ``failed(index, exception)``, if given, says
    what to raise instead (the same error told in the caller's terms).
    Whatever ends the call early (a failure, :class:`KeyboardInterrupt`, any
    exception raised in the caller's thread by a signal handler), the running
    workers are killed and joined first. ``tick()``, if given, is called
    about 10 times a second while the workers run (to show their progress).
    """
    n = len(tasks)
    results: list[Any] = [None] * n
    done = [False] * n
    failures: dict[int, BaseException] = {}
    running: dict[Connection, tuple[int, Any]] = {}
    started = reported = 0
    try:
        while reported < n:
            stop = min(failures, default=n)
            while len(running) < max(1, jobs) and started < stop:
                _start(running, started, fn, tasks[started])
                started += 1
            assert running  # a task before ``reported`` is still out
            if tick is not None:
                tick()
            for conn in wait(list(running), timeout=None if tick is None else 0.1):
                assert isinstance(conn, Connection)
                i, process = running[conn]
                try:
                    ok, value = conn.recv()
                except EOFError:  # it died before answering
                    process.join()
                    ok, value = False, WorkerDied(i, process.exitcode)
                except Exception as exc:  # noqa: BLE001 (an answer that does not unpickle)
                    ok, value = False, RuntimeError(f"the answer of task {i} is unreadable: {exc}")
                process.join()
                del running[conn]  # only now: until reaped, ``finally`` below stops it
                conn.close()
                if ok:
                    results[i], done[i] = value, True
                else:
                    failures[i] = value
            while reported < n and done[reported]:
                reported += 1
            if reported in failures:
                exc = failures[reported]
                raise exc if failed is None else failed(reported, exc)
        if tick is not None:
            tick()
    finally:
        for conn, (_, process) in running.items():
            process.terminate()
            process.join()
            conn.close()
    return results


def _start(
    running: dict[Connection, tuple[int, Any]],
    i: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    ours, theirs = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=_work, args=(theirs, fn, args), daemon=True)
    mask = None if _MASK is None else _MASK(signal.SIG_BLOCK, _SIGNALS)
    try:
        process.start()
        running[ours] = (i, process)
    finally:
        if _MASK is not None and mask is not None:
            _MASK(signal.SIG_SETMASK, mask)
    theirs.close()  # so that its end closing (the worker dying) reads as EOF here
