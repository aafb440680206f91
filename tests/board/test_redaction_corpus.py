"""Redaction over a corpus of German texts as citizens and businesses write them.

tests/board/redaction_corpus.jsonl holds each text with the name words that must go and words
that must stay; benchmarks/redaction_bench.py prints the same figures per construct category.
"""

from benchmarks.redaction_bench import load_corpus, report, score_corpus

MIN_NAME_RECALL = 0.95
MAX_FALSE_REMOVALS_PER_20_TEXTS = 1.0
MIN_TEXTS = 100
MIN_TEXTS_WITHOUT_PERSONAL_DATA = 20


def test_the_corpus_is_large_and_varied_enough_to_measure():
    records = load_corpus()

    assert len(records) >= MIN_TEXTS
    assert len({record["id"] for record in records}) == len(records)
    without = [record for record in records if not record["names"] and not record["secrets"]]
    assert len(without) >= MIN_TEXTS_WITHOUT_PERSONAL_DATA
    for record in records:
        for word in record["names"] + record["keep"] + record["secrets"]:
            assert word in record["text"], (record["id"], word)


def test_names_go_and_hardly_anything_else_goes():
    total, by_category = score_corpus(load_corpus())
    print()
    print(report(total, by_category))

    assert total.recall >= MIN_NAME_RECALL
    assert total.false_per_20 <= MAX_FALSE_REMOVALS_PER_20_TEXTS
