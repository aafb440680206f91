"""Import speed: pages per second for PDFs with a text layer and for scans, beside pdftotext and
plain tesseract on the same files in the same run.

    .venv/bin/python benchmarks/ingest_bench.py [--copies 10] [--scans 2]

The files are the demo's four papers (seeds 000 and 001 with the inquiry and the motion they
answer) printed as the official PDF; the scans are the same PDFs rasterised at 300 dpi without
a text layer. beirat: extract (pypdfium2, OCR where a page has no text) plus parse into a
PaperDraft; pdftotext: poppler's tool per file; plain tesseract: pdftoppm at 300 dpi and
tesseract per page, German. Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REFERENCES = ("AF/0013/2021", "AW/0011/2021", "AT/0080/2025", "ST/0078/2025")
DPI = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10, help="text PDFs: copies of the four")
    parser.add_argument("--scans", type=int, default=1, help="scans: copies of the four")
    args = parser.parse_args()
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
        "text": {
            "beirat": _beirat(text_files),
            "pdftotext": _pdftotext(text_files),
        },
        "scan": {
            "beirat": _beirat(scan_files),
            "tesseract": _tesseract(scan_files, workspace / "pages"),
        },
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


def _timed(paths: list[Path], run: object) -> dict[str, float]:
    pages = sum(_pages(path) for path in paths)
    started = time.perf_counter()
    for path in paths:
        run(path)  # type: ignore[operator]
    seconds = time.perf_counter() - started
    return {"files": len(paths), "pages": pages, "seconds": seconds}


def _beirat(paths: list[Path]) -> dict[str, float]:
    from beirat.ingest.extract import extract
    from beirat.ingest.parse import parse

    def run(path: Path) -> None:
        extracted = extract(path.read_bytes(), path.name)
        parse(extracted.text, scanned=extracted.ocr_pages > 0)

    return _timed(paths, run)


def _pdftotext(paths: list[Path]) -> dict[str, float]:
    def run(path: Path) -> None:
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        )

    return _timed(paths, run)


def _tesseract(paths: list[Path], folder: Path) -> dict[str, float]:
    folder.mkdir(parents=True)

    def run(path: Path) -> None:
        prefix = folder / path.stem
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path), str(prefix)], check=True
        )
        for image in sorted(folder.glob(f"{path.stem}-*.png")):
            subprocess.run(
                ["tesseract", str(image), "stdout", "-l", "deu"], capture_output=True, check=True
            )

    return _timed(paths, run)


def _report(rows: dict[str, dict[str, dict[str, float]]], args: argparse.Namespace) -> str:
    labels = {
        "beirat": "beirat (extract + parse)",
        "pdftotext": "pdftotext (text only)",
        "tesseract": "pdftoppm + tesseract (text only)",
    }
    lines = [
        "## Import of papers",
        "",
        f"Command: `.venv/bin/python benchmarks/ingest_bench.py --copies {args.copies} "
        f"--scans {args.scans}` (part of `make bench`), 2 cores. Files: the demo's four papers "
        "printed as the official PDF (text layer), and the same rasterised at 300 dpi without "
        "text (scans); beirat reads them with pypdfium2 and, for pages without text, tesseract "
        "(German, 300 dpi), then parses them into a draft with confidences.",
        "",
        "| files | tool | files | pages | seconds | pages per second |",
        "|---|---|---|---|---|---|",
    ]
    for kind, tools in rows.items():
        for tool, result in tools.items():
            rate = result["pages"] / result["seconds"] if result["seconds"] else 0
            lines.append(
                f"| {'text PDFs' if kind == 'text' else 'scans'} | {labels[tool]} | "
                f"{result['files']:.0f} | {result['pages']:.0f} | {result['seconds']:.1f} | "
                f"{rate:.2f} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
