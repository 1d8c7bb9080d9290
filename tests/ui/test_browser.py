"""End to end in a real browser: Debian's Chromium, headless, through Playwright's sync API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.ui.conftest import DEMO

pytestmark = pytest.mark.slow  # a real server, a real browser, a real model: ~20-40 s


def test_csv_to_report_and_downloads(page: Any, tmp_path: Any) -> None:
    # 1 Data: upload the demo table, see its columns, change a kind
    page.set_input_files("#file", str(DEMO))
    page.wait_for_url("**/data")
    assert page.locator("#columns tbody tr").count() == 9
    age = page.locator("tr[data-column='Age']")
    assert age.locator(".kind").input_value() == "numerical"
    assert "whole numbers from 21 to 81" in age.locator(".reason").inner_text()
    age.locator(".kind").select_option("categorical")
    reason = "document.querySelector(\"tr[data-column='Age'] .reason\").textContent"
    page.wait_for_function(f"{reason}.includes('you chose')")
    bad = page.locator("tr[data-column='BMI']")
    bad.locator(".kind").select_option("boolean")  # 248 values cannot be yes/no: said beside it
    bad.locator(".error").wait_for()
    assert "a boolean has two" in bad.locator(".error").inner_text()
    assert bad.locator(".kind").input_value() == "numerical"
    page.reload()  # the change was kept by the server
    assert page.locator("tr[data-column='Age'] .kind").input_value() == "categorical"

    # 2 Model: the recommended model is preselected; a short time budget; train
    page.click("text=Next: choose a model")
    assert page.locator("input[name=model][value=cart]").is_checked()
    assert "Why cart?" in page.inner_text("#why")
    page.fill("#rows", "300")
    page.locator("#budget").fill("10")
    page.click("#train")

    # 3 Train: progress, then the link to the results (survives a reload)
    page.wait_for_url("**/train")
    page.reload()
    page.locator("#finished a").wait_for(state="visible", timeout=120_000)
    assert page.inner_text("#status") == "done"

    # 4 Review: verdicts in words, then a conditional sample
    page.click("#finished a")
    page.wait_for_url("**/review")
    verdicts = page.inner_text("#verdicts")
    assert "Looks like the real table" in verdicts and "Safe to share" in verdicts
    page.fill("#where", "Outcome = 1\nGlucose >= 120")
    page.fill("#n", "40")
    page.click("#draw")
    page.locator("#sample tbody tr").first.wait_for()
    assert page.locator("#sample tbody tr").count() == 20
    page.fill("#where", "Outcome = 7")
    page.click("#draw")
    page.locator("#where-error").wait_for()
    assert "no row with Outcome=7" in page.inner_text("#where-error")

    # 5 Download: the synthetic CSV has the rows and columns asked for
    page.click("text=Next: download")
    with page.expect_download() as caught:
        page.click("a[href$='synthetic.csv']")
    frame = pd.read_csv(caught.value.path())
    assert frame.shape == (300, 9)
    real = pd.read_csv(DEMO)
    assert list(frame.columns) == list(real.columns)
    assert frame["Age"].isin(real["Age"]).all()  # learned as categorical, as chosen on page 1
    with page.expect_download() as caught:
        page.click("a[href$='report.html']")
    assert "<html" in Path(caught.value.path()).read_text(encoding="utf-8")[:2000].lower()


def test_rules_page_preview_error_and_download(page: Any) -> None:
    page.click("text=6 Rules")
    page.wait_for_url("**/rules")
    page.locator("#preview tbody tr").first.wait_for()
    assert page.locator("#preview tbody tr").count() == 20
    assert "customer_id" in page.inner_text("#preview thead")
    spec = page.locator("#spec").input_value()
    page.fill("#spec", spec.replace("sd: 15, ", ""))  # age loses its sd: line 9 is wrong
    page.locator("#spec-error").wait_for()
    page.wait_for_function("document.querySelector('#spec-error').textContent.includes('sd')")
    assert page.inner_text("#spec-error").startswith("line 9: error: column 'age'")
    assert page.inner_text("#gutter .bad") == "9"
    page.fill("#spec", spec)
    page.wait_for_function("document.querySelector('#spec-error').textContent === ''")
    page.fill("#rules-n", "123")
    with page.expect_download() as caught:
        page.click("#download button")
    frame = pd.read_csv(caught.value.path())
    assert len(frame) == 123 and "email" in frame.columns


def test_bad_file_is_refused_beside_the_field(page: Any, tmp_path: Any) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"")
    page.set_input_files("#file", str(bad))
    page.locator("#file-error").wait_for()
    assert page.inner_text("#file-error") == (
        "error: notes.txt is empty; choose a CSV or Parquet file with a header row."
    )
    assert page.url.endswith("/")  # still on the upload page


def test_wrong_token_is_refused(browser: Any, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    answer = page.goto(server.split("?token=")[0] + "?token=wrong")
    assert answer.status == 403
    assert "Refused" in page.inner_text("h1")
    assert page.goto(server.split("?")[0] + "rules").status == 403  # no cookie either
    context.close()


def test_served_page_loads_nothing_from_the_internet(browser: Any, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    asked: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(server)
    page.goto(server.split("?")[0] + "rules")
    page.locator("#preview tbody tr").first.wait_for()
    origin = server.split("/?")[0]
    assert asked and all(url.startswith(origin) for url in asked), asked
    assert errors == []  # the app's own scripts run under its Content-Security-Policy
    context.close()
