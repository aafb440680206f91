"""Charts of /zahlen/: our own SVG (beirat/figures/charts.py) against pygal and matplotlib.

Draws the same two charts with each candidate (twelve months of counts with a target line, and
six years of four series side by side) and reports, per chart: the size of the SVG, the median
time to draw it, whether it carries what the page needs (a <title> and <desc>, role="img" with
aria-labelledby, no <script>, no style attribute or <style> element the site's CSP would block,
no address of another origin), and what the candidate brings along.

pygal and matplotlib are not dependencies of the project; to compare, install them beside it
(not into .venv) and put them on the path:

    .venv/bin/python -m pip install --target /tmp/chartlibs pygal matplotlib
    PYTHONPATH=/tmp/chartlibs .venv/bin/python benchmarks/chart_libraries.py

A candidate that is not installed is reported as such. The result is in docs/decisions.md,
"Charts of the figures page".
"""

from __future__ import annotations

import importlib.metadata
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(USE_I18N=True, LANGUAGE_CODE="de", USE_THOUSAND_SEPARATOR=True)
django.setup()

from django.utils import translation  # noqa: E402

from beirat.figures import cells, charts  # noqa: E402

REPEAT = 50
MONTHS = ["Dez", "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov"]
MEDIANS = [4.9, 4.3, 7.0, 5.4, 3.3, 8.0, 8.7, 6.4, 6.2, 5.7, 5.6, 4.1]
YEARS = ["2021", "2022", "2023", "2024", "2025", "2026"]
STATUSES = ["offen", "in Umsetzung", "umgesetzt", "nicht umgesetzt"]
BY_STATUS = [[3, 0, 0, 0], [2, 4, 10, 1], [1, 2, 6, 3], [2, 6, 5, 0], [1, 0, 6, 2], [4, 6, 3, 1]]
TITLE, DESC = "Zeit bis zur ersten Antwort", "Säulendiagramm: Tage (Median) je Monat."


def own_months() -> str:
    return charts.columns(
        key="c",
        title=TITLE,
        description=DESC,
        categories=[(m, "") for m in MONTHS],
        series=[charts.Series("Tage", [cells.measure(v, basis=9) for v in MEDIANS])],
        target=charts.Target(14, "Ziel: 14 Tage"),
    )


def own_years() -> str:
    series = [
        charts.Series(label, [cells.count(row[i]) for row in BY_STATUS])
        for i, label in enumerate(STATUSES)
    ]
    return charts.columns(
        key="c",
        title=TITLE,
        description=DESC,
        categories=[(y, "") for y in YEARS],
        series=series,
    )


def pygal_months() -> str:
    import pygal

    # js=[]: without it pygal links its tooltip script from another origin.
    chart = pygal.Bar(title=TITLE, show_legend=False, disable_xml_declaration=True, js=[])
    chart.x_labels = MONTHS
    chart.add("Tage", MEDIANS)
    chart.add("Ziel", [14] * len(MONTHS), stroke_style={"dasharray": "6,4"})
    return str(chart.render(is_unicode=True))


def pygal_years() -> str:
    import pygal

    chart = pygal.Bar(title=TITLE, disable_xml_declaration=True, js=[])
    chart.x_labels = YEARS
    for i, label in enumerate(STATUSES):
        chart.add(label, [row[i] or None for row in BY_STATUS])
    return str(chart.render(is_unicode=True))


def matplotlib_months() -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 3))
    axes.bar(MONTHS, MEDIANS, color="#004b87")
    axes.axhline(14, color="#b0141e", linestyle="--")
    axes.set_title(TITLE)
    return _matplotlib_svg(figure, plt)


def matplotlib_years() -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 3))
    width = 0.2
    for i, label in enumerate(STATUSES):
        positions = [x + i * width for x in range(len(YEARS))]
        axes.bar(positions, [row[i] for row in BY_STATUS], width, label=label)
    axes.set_xticks([x + 1.5 * width for x in range(len(YEARS))], YEARS)
    axes.legend()
    axes.set_title(TITLE)
    return _matplotlib_svg(figure, plt)


def _matplotlib_svg(figure: object, plt: object) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Title": TITLE})  # type: ignore[attr-defined]
    plt.close(figure)  # type: ignore[attr-defined]
    return buffer.getvalue()


CANDIDATES: dict[str, tuple[str | None, list[Callable[[], str]]]] = {
    "own SVG (beirat/figures/charts.py)": (None, [own_months, own_years]),
    "pygal": ("pygal", [pygal_months, pygal_years]),
    "matplotlib (SVG backend)": ("matplotlib", [matplotlib_months, matplotlib_years]),
}


def markup(svg: str) -> str:
    found = []
    found.append("title" if re.search(r"<title[ >]", svg) else "no title")
    found.append("desc" if "<desc" in svg else "no desc")
    found.append('role="img"' if 'role="img"' in svg else "no role")
    found.append("aria-labelledby" if "aria-labelledby" in svg else "no aria-labelledby")
    blocked = len(re.findall(r'\sstyle="', svg)) + len(re.findall(r"<style", svg))
    found.append(f"{blocked} style attrs/elements" if blocked else "no inline style")
    found.append(f"{svg.count('<script')} scripts" if "<script" in svg else "no script")
    other = {
        u for u in re.findall(r'(?:href|src)="(https?://[^"]+)"', svg) if "www.w3.org" not in u
    }
    found.append(f"links {sorted(other)}" if other else "no other origin")
    return ", ".join(found)


def dependencies(package: str | None) -> str:
    if package is None:
        return "none (Django only)"
    requires = importlib.metadata.requires(package) or []
    plain = sorted({re.split(r"[ ;<>=!\[]", r)[0] for r in requires if "extra ==" not in r})
    return ", ".join(plain) or "none"


def main() -> None:
    with translation.override("de"):
        print("| candidate | chart | bytes | median ms | markup | dependencies |")
        print("|---|---|---:|---:|---|---|")
        for name, (package, drawers) in CANDIDATES.items():
            try:
                for drawer in drawers:
                    drawer()  # imports and warms up
            except ImportError:
                print(f"| {name} | – | – | – | not installed | – |")
                continue
            version = f" {importlib.metadata.version(package)}" if package else ""
            for drawer in drawers:
                times = []
                for _ in range(REPEAT):
                    start = time.perf_counter()
                    svg = drawer()
                    times.append((time.perf_counter() - start) * 1000)
                chart = drawer.__name__.split("_")[-1]
                print(
                    f"| {name}{version} | {chart} | {len(svg.encode())} | "
                    f"{statistics.median(times):.2f} | {markup(svg)} | {dependencies(package)} |"
                )


if __name__ == "__main__":
    main()
