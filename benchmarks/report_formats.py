"""Which chart format for the report: matplotlib PNG, matplotlib SVG, or plotly (script once).

Draws one real-vs-synthetic histogram per column for 60 creditcard columns (31 columns, then the
first 29 again), writes one page per format, then times headless Chromium loading and drawing each
page. Run: `nice -n 10 python benchmarks/report_formats.py /path/to/creditcard.csv OUT_DIR`
(needs plotly, which lookalike itself does not depend on, and /usr/bin/chromium).
"""

from __future__ import annotations

import base64
import io
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # one home for the launch flags


def pairs(wide: pd.DataFrame):
    rng = np.random.default_rng(0)
    for name in wide.columns:
        real = wide[name].to_numpy(float)
        yield name, real, real + rng.normal(0, real.std() * 0.1, len(real))


def matplotlib_page(wide: pd.DataFrame, fmt: str) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    parts = []
    for name, real, synthetic in pairs(wide):
        figure = Figure(figsize=(4, 2.6), dpi=90)
        FigureCanvasAgg(figure)
        ax = figure.add_axes((0.1, 0.15, 0.85, 0.72))
        edges = np.histogram_bin_edges(np.concatenate([real, synthetic]), 40)
        for values, colour in ((real, "#1f77b4"), (synthetic, "#ff7f0e")):
            ax.stairs(
                np.histogram(values, edges, density=True)[0],
                edges,
                fill=True,
                alpha=0.3,
                color=colour,
            )
        ax.set_title(name, fontsize=10, loc="left")
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=90)
        data = buffer.getvalue()
        if fmt == "png":
            parts.append(f'<img src="data:image/png;base64,{base64.b64encode(data).decode()}">')
        else:
            parts.append(data.decode().split("?>", 1)[-1])
    return "<html><body>" + "".join(parts) + "</body></html>"


def plotly_page(wide: pd.DataFrame) -> str:
    import plotly.graph_objects as go
    import plotly.io as pio

    parts = []
    for i, (name, real, synthetic) in enumerate(pairs(wide)):
        edges = np.histogram_bin_edges(np.concatenate([real, synthetic]), 40)
        middle = (edges[1:] + edges[:-1]) / 2
        bars = [
            go.Bar(x=middle, y=np.histogram(v, edges, density=True)[0], opacity=0.5, name=n)
            for v, n in ((real, "real"), (synthetic, "synthetic"))
        ]
        figure = go.Figure(bars)
        figure.update_layout(width=400, height=260, title=name, barmode="overlay")
        parts.append(pio.to_html(figure, include_plotlyjs=i == 0, full_html=False))
    return "<html><body>" + "".join(parts) + "</body></html>"


def main() -> None:
    from playwright.sync_api import sync_playwright

    warnings.simplefilter("ignore")
    source, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    real = pd.read_csv(source, nrows=20_000)
    wide = pd.concat([real, real.add_suffix("_b")], axis=1).iloc[:, :60]
    makers = {
        "png": lambda: matplotlib_page(wide, "png"),
        "svg": lambda: matplotlib_page(wide, "svg"),
        "plotly": lambda: plotly_page(wide),
    }
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, make in makers.items():
            start = time.perf_counter()
            page_text = make()
            made = time.perf_counter() - start
            path = out / f"{name}.html"
            path.write_text(page_text, encoding="utf-8")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            if name == "plotly":
                page.wait_for_function(
                    "document.querySelectorAll('.plotly .main-svg').length >= 120", timeout=120_000
                )
            page.screenshot(path=str(out / f"{name}.png"))
            shown = time.perf_counter() - start
            print(
                f"{name:7s} made in {made:5.1f} s, {len(page_text) / 1e6:.2f} MB, "
                f"shown by Chromium in {shown:.2f} s"
            )
        browser.close()


if __name__ == "__main__":
    main()
