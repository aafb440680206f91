"""Redaction before a text reaches the board: how many names go, how much else goes with them.

    .venv/bin/python benchmarks/redaction_bench.py

The labelled set tests/board/redaction_corpus.jsonl holds German texts as citizens and
businesses write them, each with the name words that must go ("names"), words that must stay
("keep") and other personal data that must go ("secrets": addresses, numbers, dates of birth).
Reported, over the corpus and per construct category:
  - name recall: name words removed / name words (a word counts as removed only when no
    occurrence of it is left standing on its own),
  - false removals per 20 texts: words removed that are no personal data (a "keep" word gone,
    or a removed name that is not one of the text's names, or a removed address, number or
    company that holds none of its secrets or names),
  - other personal data removed: secrets gone / secrets.
tests/board/test_redaction_corpus.py asserts the same figures.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "board" / "redaction_corpus.jsonl"
TEXTS_PER_RATE = 20
# Parts of a removed name that are no words of their own: initials, particles, punctuation.
_NOT_NAME_WORDS = frozenset({"von", "van", "der", "den", "de", "zu", "vom", "und"})


@dataclass
class Score:
    texts: int = 0
    names: int = 0
    names_removed: int = 0
    false_removals: int = 0
    secrets: int = 0
    secrets_removed: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.names_removed / self.names if self.names else 1.0

    @property
    def false_per_20(self) -> float:
        return self.false_removals / self.texts * TEXTS_PER_RATE if self.texts else 0.0

    @property
    def secret_recall(self) -> float:
        return self.secrets_removed / self.secrets if self.secrets else 1.0

    def add(self, other: Score) -> None:
        self.texts += other.texts
        self.names += other.names
        self.names_removed += other.names_removed
        self.false_removals += other.false_removals
        self.secrets += other.secrets
        self.secrets_removed += other.secrets_removed
        self.misses.extend(other.misses)
        self.false.extend(other.false)


def load_corpus(path: Path = CORPUS) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score_text(record: dict[str, object]) -> Score:
    from beirat.board.redaction import KIND_NAME, redact

    text = str(record["text"])
    names = [str(name) for name in record["names"]]  # type: ignore[attr-defined]
    keep = [str(word) for word in record["keep"]]  # type: ignore[attr-defined]
    secrets = [str(secret) for secret in record.get("secrets", [])]  # type: ignore[attr-defined]
    result = redact(text)
    score = Score(texts=1, names=len(names), secrets=len(secrets))
    for name in names:
        if _stands_alone(name, result.text):
            score.misses.append(f"{record['id']}: {name}")
        else:
            score.names_removed += 1
    score.secrets_removed = sum(1 for secret in secrets if secret not in result.text)
    falsely_removed = {word for word in keep if word not in result.text}
    lowered_names = {name.lower() for name in names}
    for removal in result.removals:
        words = _words(removal.original)
        if removal.kind == KIND_NAME:
            falsely_removed |= {word for word in words if word.lower() not in lowered_names}
        elif not any(_overlaps(removal.original, secret) for secret in secrets) and not (
            {word.lower() for word in words} & lowered_names
        ):
            falsely_removed.add(removal.original)
    score.false_removals = len(falsely_removed)
    score.false.extend(f"{record['id']}: {word}" for word in sorted(falsely_removed))
    return score


def _stands_alone(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def _words(original: str) -> list[str]:
    words = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", original)
    return [word for word in words if len(word) > 1 and word.lower() not in _NOT_NAME_WORDS]


def _overlaps(original: str, secret: str) -> bool:
    return secret in original or original in secret


def score_corpus(records: list[dict[str, object]]) -> tuple[Score, dict[str, Score]]:
    total = Score()
    by_category: dict[str, Score] = defaultdict(Score)
    for record in records:
        score = score_text(record)
        total.add(score)
        by_category[str(record.get("category", "other"))].add(score)
    return total, dict(by_category)


def report(total: Score, by_category: dict[str, Score]) -> str:
    lines = [
        f"texts: {total.texts}",
        f"name recall: {total.recall:.1%} ({total.names_removed}/{total.names} name words)",
        f"false removals: {total.false_removals} = {total.false_per_20:.2f} per 20 texts",
        f"other personal data removed: {total.secret_recall:.1%} "
        f"({total.secrets_removed}/{total.secrets})",
        "",
        f"{'category':<20} {'texts':>5} {'recall':>8} {'false/20':>9}",
    ]
    for category, score in sorted(by_category.items()):
        lines.append(
            f"{category:<20} {score.texts:>5} {score.recall:>8.1%} {score.false_per_20:>9.2f}"
        )
    if total.misses:
        lines += ["", "names left standing:", *(f"  {miss}" for miss in total.misses)]
    if total.false:
        lines += ["", "removed although no personal data:", *(f"  {f}" for f in total.false)]
    return "\n".join(lines)


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    django.setup()
    total, by_category = score_corpus(load_corpus())
    print(report(total, by_category))


if __name__ == "__main__":
    main()
