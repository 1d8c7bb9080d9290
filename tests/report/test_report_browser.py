"""The report as a browser shows it: headless Chromium opens the file offline, every chart decodes,
and no chart is blank (its screenshot has ink, not just white)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

import lookalike
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import make_mixed_table

MIN_INK = 0.02  # share of non-white pixels a drawn chart has at least


def _browser_or_skip() -> None:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        missing.append(f"chromium at {CHROMIUM}")
    if missing:
        reason = f"needs {' and '.join(missing)} (never downloaded by the tests)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _ink(png: bytes) -> float:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    import numpy as np

    pixels = np.asarray(image)
    return float((pixels < 235).mean()) if pixels.size else 0.0


def test_the_report_renders_offline_in_chromium_with_no_blank_chart(tmp_path: Path) -> None:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    real = make_mixed_table(150, seed=1)
    model = lookalike.get_model("copula", random_state=0).fit(real)
    path = tmp_path / "report.html"
    lookalike.evaluate(real, model.sample(150), model=model).to_html(path)
    requests: list[str] = []
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            images = page.query_selector_all("img")
            assert len(images) >= 7 + 5  # one per column plus the whole-table charts
            for image in images:
                image.scroll_into_view_if_needed()
                assert image.evaluate("e => e.complete && e.naturalWidth > 0"), (
                    "image did not decode"
                )
                ink = _ink(image.screenshot())
                assert ink > MIN_INK, f"{image.get_attribute('alt')} looks blank ({ink:.1%} ink)"
            whole = _ink(page.screenshot(full_page=True))
            assert whole > 0.05
            assert page.inner_text("#provenance").count("SHA-256") >= 2
        finally:
            browser.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests  # offline
