"""Screenshots of the web app's pages for the README: `python docs/ui/screenshots.py`.

Starts `lookalike ui` on a free loopback port, walks the pages with Debian's Chromium (headless,
through Playwright) on the bundled demo table and writes docs/ui/1-data.png ... 6-rules.png;
`--linked` writes only the linked-tables pages (1-linked.png, 4-linked-review.png) instead.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))
from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, DEMO  # noqa: E402  (the tests' browser)


def main(linked_only: bool = False) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workspace = tempfile.mkdtemp(prefix="lookalike-shots-")
    command = [
        sys.executable,
        "-m",
        "lookalike.cli",
        "ui",
        "--no-browser",
        "--port",
        str(port),
        "--workspace",
        workspace,
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert server.stdout is not None
    url = server.stdout.readline().decode().strip()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 860}, bypass_csp=True)
            page.set_default_timeout(120_000)
            page.goto(url)
            if linked_only:
                linked(page, Path(workspace))
                browser.close()
                return
            shot(page, "1-upload")
            page.set_input_files("#file", str(DEMO))
            page.wait_for_url("**/data")
            page.locator("tr[data-column='Age'] .kind").select_option("categorical")
            page.wait_for_timeout(500)
            shot(page, "1-data")
            page.click("text=Next: choose a model")
            page.locator("#budget").fill("30")
            page.click("text=Not sure? Compare several models")
            page.evaluate("window.scrollTo(0, 0)")
            shot(page, "2-model")
            page.click("#compare")
            page.locator("#leaderboard tbody tr").first.wait_for()
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            shot(page, "2-model-compare")
            page.locator("input[name=model][value=tvae]").check()  # epochs show on page 3
            page.click("#train")
            page.wait_for_url("**/train")
            page.wait_for_function(
                "document.querySelector('#steps').textContent.includes('epochs')"
            )
            page.wait_for_timeout(4000)
            shot(page, "3-train")
            page.locator("#finished a").wait_for(state="visible")
            page.click("text=2 Model")  # the review shows the default model's result
            page.locator("input[name=model][value=cart]").check()
            page.click("#train")
            page.wait_for_url("**/train")
            page.locator("#finished a").wait_for(state="visible")
            page.click("#finished a")
            page.fill("#where", "Outcome = 1\nAge >= 50")
            page.fill("#n", "200")
            page.click("#draw")
            page.locator("#sample tbody tr").first.wait_for()
            page.frame_locator("iframe.report").locator("h1").first.wait_for()
            shot(page, "4-review")
            page.locator("iframe.report").scroll_into_view_if_needed()
            shot(page, "4-review-report")
            page.click("text=Next: download")
            shot(page, "5-download")
            page.click("text=6 Rules")
            page.locator("#preview tbody tr").first.wait_for()
            spec = page.locator("#spec").input_value()
            page.fill("#spec", spec.replace("sd: 15, ", ""))
            page.locator("#spec-error").wait_for()
            shot(page, "6-rules")
            browser.close()
    finally:
        server.terminate()
        server.wait()
        server.stdout.close()


def linked(page, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Two linked tables (players and their seasons, a few orphans): schema page and review."""
    from tests.linked.tables import players_seasons

    paths = []
    for name, frame in players_seasons(n=300, orphans=0.03).items():
        frame.to_csv(folder / f"{name}.csv", index=False)
        paths.append(str(folder / f"{name}.csv"))
    page.set_input_files("#files", paths)
    page.wait_for_url("**/data")
    shot(page, "1-linked")
    page.click("text=Next: make the synthetic tables")
    page.click("#train")
    page.wait_for_url("**/train")
    page.locator("#finished a").wait_for(state="visible")
    page.click("#finished a")
    page.frame_locator("iframe.report").locator("h1").first.wait_for()
    shot(page, "4-linked-review")


def shot(page, name: str, full: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)
    path = HERE / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(linked_only="--linked" in sys.argv[1:])
