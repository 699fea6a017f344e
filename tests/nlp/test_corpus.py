"""The corpus is reproducible from its generator, varied, and parsed strictly."""

from __future__ import annotations

from collections import Counter

import pytest

from leadsignal.nlp import corpus_builder
from leadsignal.nlp.corpus import GENERATED, CorpusError, data_hash, parse_annotated, training_examples


def test_committed_generated_corpus_matches_the_generator() -> None:
    assert GENERATED.read_text(encoding="utf-8") == corpus_builder.render(corpus_builder.build())


def test_training_corpus_covers_every_class_with_variety() -> None:
    examples = training_examples()
    counts = Counter(e.label for e in examples)
    assert len(examples) >= 2000
    assert min(counts.values()) >= 200
    texts = [e.text for e in examples]
    assert len(set(texts)) == len(texts)
    assert sum(t == t.lower() for t in texts) >= 150  # lower-case posts
    assert sum("#" in t for t in texts) >= 500  # hashtags
    assert sum(len(t) > 250 for t in texts) >= 200  # long posts, event buried in the middle


def test_template_expansion() -> None:
    import random

    rng = random.Random(1)
    out = {corpus_builder.expand("{a|b}[ c] <x>", rng, {"x": "X"}) for _ in range(50)}
    assert out == {"a X", "b X", "a c X", "b c X"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("@@ nonsense\nsome text\n", "unknown label"),
        ("@@ new_job | employer=X\ntext\n", "bad annotation"),
        ("@@ award\n\n@@ none\nx\n", "empty post"),
        ("stray text\n@@ none\nx\n", "before the first"),
    ],
)
def test_annotated_format_errors(content: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        parse_annotated(content, origin="t.txt")


def test_annotated_org_gold() -> None:
    [a, b, c] = parse_annotated(
        "@@ new_job | org=Acme Inc\nJoined Acme Inc!\n@@ promotion | org=\nPromoted!\n@@ none\nhi", origin="t"
    )
    assert (a.org, a.has_org_gold) == ("Acme Inc", True)
    assert (b.org, b.has_org_gold) == (None, True)
    assert (c.org, c.has_org_gold) == (None, False)


def test_data_hash_depends_on_labels_and_order() -> None:
    assert data_hash([("a", "none"), ("b", "award")]) != data_hash([("b", "award"), ("a", "none")])
    assert data_hash([("a", "none")]) != data_hash([("a", "award")])
