"""Import speed: pages per second for PDFs with a text layer and for scans, beside floors that
do the same work on the same files in the same run.

    .venv/bin/python benchmarks/ingest_bench.py [--copies 10] [--scans 1] [--repeat 5]

The files are the demo's four papers (seeds 000 and 001 with the inquiry and the motion they
answer) printed as the official PDF; the scans are the same PDFs rasterised at 300 dpi without
a text layer. beirat: extract (pypdfium2, OCR where a page has no text) plus parse into a
PaperDraft.

Floors: for text PDFs the text layer read with pypdfium2 in this process (poppler's pdftotext,
a process per file, beside it for reference); for scans each page rendered as beirat renders it
(pypdfium2, 300 dpi, grayscale PNG) and handed to plain tesseract with beirat's own arguments
(beirat.ingest.ocr.ARGUMENTS: German, the same --psm), so that the two differ only by what
beirat adds; beside it, for reference, pdftoppm at 300 dpi and tesseract as a shell script
would do it (pdftoppm writes RGB PNGs even with -gray: more to read).

Every file is read --repeat times (at least 5 for `make bench`) by each tool, the tools taking
turns file by file so that a busy moment of the machine hits all of them; a tool's time is the
sum over the files of each file's median. Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REFERENCES = ("AF/0013/2021", "AW/0011/2021", "AT/0080/2025", "ST/0078/2025")
DPI = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10, help="text PDFs: copies of the four")
    parser.add_argument("--scans", type=int, default=1, help="scans: copies of the four")
    parser.add_argument("--repeat", type=int, default=5, help="readings of every file per tool")
    args = parser.parse_args()
    from benchmarks.provenance import require_clean

    require_clean()
    workspace = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workspace / 'db.sqlite3'}"
    os.environ["BEIRAT_SEARCH_DIR"] = str(workspace / "search")
    os.environ["BEIRAT_VAR_DIR"] = str(workspace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    pdfs = _official_pdfs(workspace)
    text_files = _write(workspace / "text", pdfs * args.copies)
    scan_files = _write(workspace / "scan", [_scanned(pdf) for pdf in pdfs] * args.scans)
    rows = {
        "text": _timed(
            text_files,
            {"beirat": _beirat, "pdfium": _pdfium_text, "pdftotext": _pdftotext},
            args.repeat,
        ),
        "scan": _timed(
            scan_files,
            {
                "beirat": _beirat,
                "tesseract": _tesseract,
                "pdftoppm": _pdftoppm_tesseract(workspace / "pages"),
            },
            args.repeat,
        ),
    }
    report = _report(rows, args)
    print(report)
    from benchmarks.report import write_section

    write_section("## Import of papers", report)


def _official_pdfs(workspace: Path) -> list[bytes]:
    from django.core.management import call_command

    from beirat.council.models import Paper
    from beirat.council.pdf import paper_pdf

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    return [paper_pdf(Paper.objects.get(reference=reference)) for reference in REFERENCES]


def _scanned(pdf: bytes) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pages = [page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L") for page in document]
    document.close()
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return buffer.getvalue()


def _write(folder: Path, contents: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for number, content in enumerate(contents):
        path = folder / f"{number:04d}.pdf"
        path.write_bytes(content)
        paths.append(path)
    return paths


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        return len(document)
    finally:
        document.close()


def _timed(
    paths: list[Path], tools: dict[str, Callable[[Path], None]], repeat: int
) -> dict[str, dict[str, float]]:
    """Each file read ``repeat`` times by every tool in turn; per tool the sum of the files'
    median seconds, and the sums of the fastest and the slowest reading of each file."""
    pages = sum(_pages(path) for path in paths)
    seconds: dict[str, list[list[float]]] = {name: [[] for _ in paths] for name in tools}
    for _ in range(repeat):
        for number, path in enumerate(paths):
            for name, run in tools.items():
                started = time.perf_counter()
                run(path)
                seconds[name][number].append(time.perf_counter() - started)
    return {
        name: {
            "files": len(paths),
            "pages": pages,
            "repeat": repeat,
            "seconds": sum(statistics.median(times) for times in per_file),
            "fastest": sum(min(times) for times in per_file),
            "slowest": sum(max(times) for times in per_file),
        }
        for name, per_file in seconds.items()
    }


def _beirat(path: Path) -> None:
    from beirat.ingest.extract import extract
    from beirat.ingest.parse import parse

    extracted = extract(path.read_bytes(), path.name)
    parse(extracted.text, scanned=extracted.ocr_pages > 0)


def _pdfium_text(path: Path) -> None:
    """The text layer of every page, read in this process with beirat's library, nothing else."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
    finally:
        document.close()


def _pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)


def _tesseract(path: Path) -> None:
    """Plain tesseract on each page rendered as beirat renders it."""
    import pypdfium2 as pdfium

    from beirat.ingest.ocr import ARGUMENTS

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        for page in document:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", dpi=(DPI, DPI))  # as beirat hands it over
            subprocess.run(
                ["tesseract", "stdin", "stdout", *ARGUMENTS],
                input=buffer.getvalue(),
                capture_output=True,
                check=True,
            )
    finally:
        document.close()


def _pdftoppm_tesseract(folder: Path) -> Callable[[Path], None]:
    from beirat.ingest.ocr import ARGUMENTS

    folder.mkdir(parents=True)

    def run(path: Path) -> None:
        prefix = folder / path.stem
        for old in folder.glob(f"{path.stem}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path), str(prefix)], check=True
        )
        for image in sorted(folder.glob(f"{path.stem}-*.png")):
            subprocess.run(
                ["tesseract", str(image), "stdout", *ARGUMENTS], capture_output=True, check=True
            )

    return run


def _report(rows: dict[str, dict[str, dict[str, float]]], args: argparse.Namespace) -> str:
    from beirat.ingest.ocr import ARGUMENTS

    labels = {
        "beirat": "beirat (extract + parse)",
        "pdfium": "floor: pypdfium2 in process (text only)",
        "pdftotext": "for reference: pdftotext, a process per file (text only)",
        "tesseract": "floor: pypdfium2 + tesseract (text only)",
        "pdftoppm": "for reference: pdftoppm + tesseract (text only)",
    }
    lines = [
        "## Import of papers",
        "",
        f"Command: `.venv/bin/python benchmarks/ingest_bench.py --copies {args.copies} "
        f"--scans {args.scans} --repeat {args.repeat}`. Files: the demo's four papers printed as "
        "the official PDF (text layer), and the same rasterised at 300 dpi without text (scans). "
        "beirat reads them with pypdfium2 and, for pages without text, renders them at 300 dpi "
        "for tesseract, then parses them into a draft with confidences. Floors: for text PDFs "
        "the text layer read with the same library in the same process (pypdfium2; poppler's "
        "pdftotext, a process per file, for reference); for scans each page rendered as beirat "
        "renders it (pypdfium2, 300 dpi, grayscale PNG) and given to plain tesseract with "
        f"beirat's arguments (`{' '.join(ARGUMENTS)}`), so that the two differ only by what "
        "beirat adds; for reference, pdftoppm at 300 dpi plus tesseract with the same "
        "arguments, as a shell "
        "script would do it (pdftoppm writes RGB PNGs even with -gray). Every file read "
        f"{args.repeat} times by each tool, "
        "the tools taking turns file by file; seconds are the sum of each file's median "
        "(in brackets: of its fastest and its slowest reading).",
        "",
        "| files | tool | files | pages | seconds (fastest – slowest) | pages per second "
        "| floor's time / beirat's |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, tools in rows.items():
        floor = tools["pdfium" if kind == "text" else "tesseract"]
        for tool, result in tools.items():
            rate = result["pages"] / result["seconds"] if result["seconds"] else 0
            share = f"{floor['seconds'] / result['seconds']:.2f}" if tool == "beirat" else "–"
            lines.append(
                f"| {'text PDFs' if kind == 'text' else 'scans'} | {labels[tool]} | "
                f"{result['files']:.0f} | {result['pages']:.0f} | {result['seconds']:.2f} "
                f"({result['fastest']:.2f} – {result['slowest']:.2f}) | {rate:.2f} | {share} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
