"""Background jobs: one worker thread runs them one at a time, the others wait in a queue.

Web requests only submit a job and read its status, so the pages stay responsive while a model
trains. A job's function gets a `Watch` that receives every progress bar's steps (through
`lookalike._progress.observe`) and tells long work to stop early when the user cancels: models
stop training and keep what they learned, as after Ctrl-C.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lookalike.errors import LookalikeError

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"


@dataclass
class Watch:
    """Live progress of one job: its stage, the current bar's steps, and the cancel flag."""

    stage: str = "waiting"
    bar: str = ""
    unit: str = "step"
    done: float = 0
    total: float | None = None
    started: float | None = None
    bar_started: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    budget: float | None = None  # seconds the current stage may take (a model's max_time)

    def step(self, desc: str, done: float, total: float | None, unit: str = "step") -> None:
        """Report progress of the current stage (a new `desc` restarts its clock)."""
        if desc != self.bar or done == 0:
            self.bar, self.bar_started = desc, time.monotonic()
        self.done, self.total, self.unit = done, total, unit

    def stop_requested(self) -> bool:
        """True once the user asked to cancel the job."""
        return self.cancel.is_set()

    def set_stage(self, stage: str, budget: float | None = None) -> None:
        """Start a new stage, with the seconds it may take."""
        self.stage, self.budget, self.bar, self.done, self.total = stage, budget, "", 0, None
        self.bar_started = time.monotonic()

    def remaining(self) -> float | None:
        """Seconds left in this bar, from its pace so far (capped by the stage's time budget)."""
        if self.bar_started is None or not self.total or not self.done:
            return None
        spent = time.monotonic() - self.bar_started
        left = spent / self.done * max(self.total - self.done, 0)
        if self.budget is not None:
            left = min(left, max(self.budget - spent, 0.0))
        return left


@dataclass
class Job:
    """One queued, running or finished task of a project (train or compare)."""

    id: str
    kind: str  # train or compare
    project: str
    run: Callable[[Watch], dict[str, Any]]
    status: str = QUEUED
    watch: Watch = field(default_factory=Watch)
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    submitted: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self, position: int | None = None) -> dict[str, Any]:
        """The job as JSON for the page (status, stage, progress, result)."""
        w = self.watch
        elapsed = None
        if w.started is not None:
            elapsed = (self.finished or time.time()) - w.started
        out = {
            "id": self.id,
            "kind": self.kind,
            "project": self.project,
            "status": self.status,
            "stage": w.stage,
            "step": w.bar,
            "unit": w.unit,
            "done": w.done,
            "total": w.total,
            "elapsed": elapsed,
            "remaining": w.remaining() if self.status == RUNNING else None,
            "cancel_requested": w.cancel.is_set(),
            "result": self.result,
            "error": self.error,
        }
        if position is not None:
            out["position"] = position
        return out


class Jobs:
    """A queue of jobs and the one worker thread that runs them in order."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._waiting: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._worker = threading.Thread(target=self._work, name="lookalike-jobs", daemon=True)
        self._worker.start()

    def submit(self, kind: str, project: str, run: Callable[[Watch], dict[str, Any]]) -> Job:
        """Queue `run` as a new job of `project`; returns it."""
        job = Job(secrets.token_hex(8), kind, project, run)
        with self._lock:
            self._jobs[job.id] = job
        self._waiting.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None."""
        return self._jobs.get(job_id)

    def latest(self, project: str, kind: str | None = None) -> Job | None:
        """The newest job of `project` (of `kind` when given), or None."""
        mine = [j for j in self._jobs.values() if j.project == project and kind in (None, j.kind)]
        return max(mine, key=lambda j: j.submitted) if mine else None

    def busy(self, project: str) -> Job | None:
        """A queued or running job of this project, if any (one at a time per project)."""
        for job in self._jobs.values():
            if job.project == project and job.status in (QUEUED, RUNNING):
                return job
        return None

    def position(self, job: Job) -> int:
        """How many jobs run or wait before this one."""
        if job.status != QUEUED:
            return 0
        return sum(
            1
            for j in self._jobs.values()
            if j.status in (QUEUED, RUNNING) and j.submitted < job.submitted
        )

    def cancel(self, job: Job) -> None:
        """Ask `job` to stop; a queued job is cancelled at once."""
        job.watch.cancel.set()
        if job.status == QUEUED:
            job.status, job.finished = CANCELLED, time.time()

    def close(self) -> None:
        """Stop the worker thread once the queue is done."""
        self._waiting.put(None)

    def _work(self) -> None:
        from lookalike._progress import observe, set_quiet

        set_quiet(True)  # the server's terminal shows one line, not progress bars
        while (job := self._waiting.get()) is not None:
            if job.status != QUEUED:
                continue
            job.status, job.watch.started = RUNNING, time.time()
            try:
                with observe(job.watch):
                    job.result = job.run(job.watch)
                job.status = CANCELLED if job.result.get("cancelled") else DONE
            except LookalikeError as error:
                job.status, job.error = FAILED, " ".join(str(error).split())
            except Exception as error:  # a bug: say so in the page, keep the worker alive
                job.status = FAILED
                job.error = (
                    f"unexpected failure ({type(error).__name__}: {error}); please report it."
                )
            finally:
                job.finished = time.time()
