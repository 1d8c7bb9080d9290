"""`lookalike ui`: a local web app for the whole job in a browser, nothing leaving the machine.

Pages: 1 Data (upload, detected kinds and why, change them), 2 Model (recommended model, compare
several, time budget), 3 Train (live progress, cancel), 4 Review (report, conditional samples),
5 Download, and Rules (fake data from a spec, live preview).

Modules:
    serve      start the server: token, loopback, the one printed line, the browser
    app        the FastAPI app: the token gate and the pages (Jinja2 templates, static files)
    api        JSON routes of the project pages; pages: what their templates show
    rules      the Rules page's routes: spec preview and download
    tasks      training, evaluation and comparison, run by the job worker
    jobs       the background worker thread and its queue; progress and cancel
    columns    what the Data page shows about each column; kind changes
    workspace  the folder of projects; server-chosen file names, upload limit

Needs the `ui` extra: `pip install 'lookalike[ui]'` (FastAPI, uvicorn, python-multipart).
"""

from __future__ import annotations

from lookalike.ui.serve import serve

__all__ = ["serve"]
