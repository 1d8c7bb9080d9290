"""Progress and cancel: what the Train page reads, and that stopping keeps what was learned."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd

from lookalike._progress import observe, progress, stop_requested
from lookalike.ui.jobs import CANCELLED, DONE, FAILED, Jobs, Watch
from lookalike.ui.tasks import TrainSettings, train
from lookalike.ui.workspace import Workspace
from tests.ui.conftest import DEMO


def test_every_bar_reports_its_steps_to_the_watch() -> None:
    watch = Watch()
    with observe(watch):
        for _ in progress(range(4), desc="fitting cart", unit="column"):
            pass
        assert (watch.bar, watch.done, watch.total, watch.unit) == ("fitting cart", 4, 4, "column")
        bar = progress(total=10, desc="training", unit="epoch")  # a manual bar, quiet or not
        bar.update(3)
        assert (watch.bar, watch.done, watch.total, watch.unit) == ("training", 3, 10, "epoch")
        assert watch.remaining() is not None and watch.remaining() >= 0
        assert not stop_requested()
        watch.cancel.set()
        assert stop_requested()
    assert not stop_requested()  # only inside the block


def test_the_neural_training_loop_stops_on_request_and_keeps_its_epochs() -> None:
    from lookalike.models.neural.training import train as loop

    watch, steps = Watch(), []

    def step() -> dict[str, float]:
        steps.append(1)
        if len(steps) == 25:  # the user presses Stop during epoch 3
            watch.cancel.set()
        return {"loss": 1.0}

    with observe(watch):
        history = loop(step, epochs=100, steps_per_epoch=10, max_time=None, started=0.0, desc="t")
    assert history.stopped == "interrupted" and history.epochs == 2 and len(steps) == 25


def _project(tmp_path: Path) -> object:
    import io

    from lookalike.metadata import Metadata

    frame = pd.read_csv(DEMO).head(200)
    project = Workspace(tmp_path).receive(
        "diabetes.csv", io.BytesIO(frame.to_csv(index=False).encode())
    )
    project.state.update(
        columns=list(frame.columns), rows=len(frame), metadata=Metadata.detect(frame).to_dict()
    )
    project.save()
    return project


def test_cancel_during_training_keeps_a_usable_model(tmp_path: Path) -> None:
    project = _project(tmp_path)
    watch = Watch()
    watch.cancel.set()  # stop at once: cart grows no tree, each column is drawn from its own values
    settings = TrainSettings("cart", time_budget=60, rows=50, report=False)
    result = train(project, settings, watch)  # type: ignore[arg-type]
    assert result["stopped_early"] and result["rows"] == 50
    rows = pd.read_csv(project.path("synthetic.csv"))  # type: ignore[attr-defined]
    assert rows.shape == (50, 9) and rows["Age"].between(21, 81).all()
    from lookalike.persistence import load

    assert len(load(project.path("model.lookalike")).sample(5)) == 5  # type: ignore[attr-defined]


def test_the_worker_runs_one_job_at_a_time_in_order() -> None:
    jobs, order, gate = Jobs(), [], threading.Event()

    def first(watch: Watch) -> dict:
        gate.wait(10)
        order.append("first")
        return {}

    a = jobs.submit("train", "p1", first)
    b = jobs.submit("train", "p2", lambda watch: order.append("second") or {})
    c = jobs.submit("train", "p3", lambda watch: {"cancelled": True})
    d = jobs.submit("train", "p4", lambda watch: 1 / 0)
    assert jobs.position(b) == 1 and jobs.busy("p2") is b
    gate.set()
    for job in (a, b, c, d):
        while job.status not in (DONE, FAILED, CANCELLED):
            threading.Event().wait(0.02)
    assert order == ["first", "second"]
    assert (a.status, c.status, d.status) == (DONE, CANCELLED, FAILED)
    assert d.error.startswith("unexpected failure (ZeroDivisionError")
    jobs.close()


def test_a_job_keeps_page_edits_made_while_it_ran(tmp_path: Path) -> None:
    project = _project(tmp_path)  # the job's copy, read when it was submitted
    page = Workspace(tmp_path).project(project.id)  # type: ignore[attr-defined]
    page.state["chosen"] = {"Age": "numerical"}  # the user changes a kind meanwhile
    page.save()
    project.update(trained={"model": "cart"})  # type: ignore[attr-defined]
    state = Workspace(tmp_path).project(project.id).state  # type: ignore[attr-defined]
    assert state["chosen"] == {"Age": "numerical"} and state["trained"] == {"model": "cart"}
