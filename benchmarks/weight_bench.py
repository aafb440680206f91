"""Pages as a visitor's browser gets them: bytes over the wire and Largest Contentful Paint.

    .venv/bin/python benchmarks/weight_bench.py [--repeat 15]

The demo data in a throwaway folder, static files collected as in production and `make run`
(hashed names, brotli/gzip copies, BEIRAT_STATIC_COLLECTED=1), served by gunicorn with the
shipped deploy/gunicorn.conf.py settings that matter here (no debug). Chromium, new profile per
repetition (an empty cache), measures:

- first visit: every byte the start page pulls (HTML, CSS, fonts, icons), as transferred
  (compressed sizes plus headers, Chromium's encodedDataLength);
- second page: /vorlagen/ right after, in the same profile (cached files are not fetched again);
- LCP of the start page with the network emulated at 150 ms round trip and 1.6 Mbit/s down,
  750 kbit/s up (Chrome DevTools' "Slow 4G"-like profile, as the goal states it).

Goals (issue on page weight): first visit ≤ 150 KB, second page ≤ 20 KB, LCP ≤ 1.5 s.
The figures are written to docs/benchmarks.md with the commit and the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import write_section  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
GOALS = {"first": 150 * 1024, "second": 20 * 1024, "lcp": 1.5}
SLOW = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
LCP_SCRIPT = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime);
  }).observe({type: 'largest-contentful-paint', buffered: true});
})"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(folder: Path) -> dict[str, str]:
    env = dict(
        os.environ, BEIRAT_VAR_DIR=str(folder), BEIRAT_STATIC_COLLECTED="1", BEIRAT_DEBUG="0"
    )
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        print("manage.py", *command, flush=True)
        subprocess.run(
            [PY, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return env


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "beirat.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn antwortet nicht.")


def transferred(page, path: str) -> tuple[int, list[tuple[str, int]]]:  # type: ignore[no-untyped-def]
    """Bytes on the wire for one navigation, per request (CDP's encodedDataLength)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    session.on(
        "Network.requestWillBeSent",
        lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]),
    )
    session.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )
    page.goto(path, wait_until="networkidle")
    time.sleep(0.3)
    session.detach()
    rows = sorted(
        ((urls.get(key, "?").rsplit("/", 1)[-1] or "(Seite)", size) for key, size in sizes.items()),
        key=lambda row: -row[1],
    )
    return sum(sizes.values()), rows


def lcp_seconds(browser, base: str) -> float:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW)
    page.goto("/", wait_until="load")
    value = float(page.evaluate(LCP_SCRIPT)) / 1000
    context.close()
    return value


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix="beirat-weight-"))
    port = free_port()
    server = serve(prepare(folder), port)
    base = f"http://127.0.0.1:{port}"
    first: list[float] = []
    second: list[float] = []
    lcp: list[float] = []
    detail: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
            for round_ in range(args.repeat):
                context = browser.new_context(
                    base_url=base, viewport={"width": 1280, "height": 800}
                )
                page = context.new_page()
                total, rows = transferred(page, "/")
                first.append(total)
                detail = detail or rows
                second.append(transferred(page, "/vorlagen/")[0])
                context.close()
                lcp.append(lcp_seconds(browser, base))
                print(
                    f"{round_ + 1}/{args.repeat}: {total} B, {second[-1]} B, LCP {lcp[-1]:.2f} s",
                    flush=True,
                )
            browser.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)

    results = {
        "first": statistics.median(first),
        "second": statistics.median(second),
        "lcp": statistics.median(lcp),
    }
    lines = [
        "## Page weight and Largest Contentful Paint",
        "",
        f"`.venv/bin/python benchmarks/weight_bench.py --repeat {args.repeat}` (commit {commit}"
        f"{' with uncommitted changes' if dirty else ''}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}). Chromium, an empty cache per repetition, the server "
        "as `make run` and production serve static files (gunicorn, hashed names, brotli). "
        "Bytes as transferred (compressed bodies and headers).",
        "",
        "| measure | median | p90 | goal | met |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label, values, unit in (
        ("first", "first visit, start page", first, "KB"),
        ("second", "second page (/vorlagen/)", second, "KB"),
        ("lcp", "LCP start page, 150 ms RTT, 1.6 Mbit/s", lcp, "s"),
    ):
        scale = 1024 if unit == "KB" else 1
        median = statistics.median(values) / scale
        p90 = percentile(values, 0.9) / scale
        goal = GOALS[key] / scale
        met = "met" if results[key] <= GOALS[key] else "missed"
        lines.append(
            f"| {label} | {median:.1f} {unit} | {p90:.1f} {unit} | ≤ {goal:g} {unit} | {met} |"
        )
    lines += ["", "First visit, by file (first repetition):", ""]
    lines += [f"- {name}: {size / 1024:.1f} KB" for name, size in detail]
    section = "\n".join(lines)
    print(section)
    write_section("## Page weight and Largest Contentful Paint", section)
    return 0 if all(results[key] <= GOALS[key] for key in GOALS) else 1


if __name__ == "__main__":
    sys.exit(main())
