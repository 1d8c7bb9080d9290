"""Debian's Chromium as every browser test (and the screenshot/benchmark scripts) launches it:
headless through Playwright's `executable_path`, never a downloaded browser, with the background
networking that this machine's closed network refuses switched off."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
