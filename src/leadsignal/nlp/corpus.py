"""Load the bundled corpus: generated and hand-written training posts, and the held-out test posts.

The held-out file is only ever read by evaluation; ``training_examples`` cannot reach it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from leadsignal.nlp.labels import LABELS

DATA = Path(__file__).resolve().parent / "data"
GENERATED = DATA / "train_generated.jsonl"
HANDWRITTEN = DATA / "train_handwritten.txt"
HELD_OUT = DATA / "test_heldout.txt"


class CorpusError(ValueError):
    """A corpus file is malformed."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    org: str | None = None
    has_org_gold: bool = False
    source: str = "corpus"


def parse_annotated(content: str, *, origin: str) -> list[Example]:
    """Parse the hand-written format: ``@@ label [| org=Gold Org]`` header lines, post text below."""
    examples: list[Example] = []
    header: str | None = None
    body: list[str] = []

    def flush(line_no: int) -> None:
        if header is None:
            return
        text = "\n".join(body).strip()
        if not text:
            raise CorpusError(f"{origin}: empty post before line {line_no}")
        label, _, rest = header.partition("|")
        label = label.strip()
        if label not in LABELS:
            raise CorpusError(f"{origin}: unknown label {label!r} before line {line_no}")
        org: str | None = None
        has_org = False
        rest = rest.strip()
        if rest:
            key, sep, value = rest.partition("=")
            if key.strip() != "org" or not sep:
                raise CorpusError(f"{origin}: bad annotation {rest!r} before line {line_no}")
            has_org, org = True, value.strip() or None
        examples.append(Example(text=text, label=label, org=org, has_org_gold=has_org))

    for no, line in enumerate(content.splitlines(), start=1):
        if line.startswith("@@"):
            flush(no)
            header, body = line[2:].strip(), []
        elif header is not None:
            body.append(line)
        elif line.strip() and not line.startswith("#"):
            raise CorpusError(f"{origin}:{no}: text before the first '@@' header")
    flush(len(content.splitlines()) + 1)
    return examples


def load_generated(path: Path = GENERATED) -> list[Example]:
    out = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        if row["label"] not in LABELS:
            raise CorpusError(f"{path.name}:{no}: unknown label {row['label']!r}")
        out.append(Example(text=row["text"], label=row["label"], org=row.get("org"), has_org_gold="org" in row))
    return out


def load_handwritten(path: Path = HANDWRITTEN) -> list[Example]:
    return parse_annotated(path.read_text(encoding="utf-8"), origin=path.name)


def training_examples() -> list[Example]:
    """Everything training may see from the bundled corpus (never the held-out file)."""
    return load_generated() + load_handwritten()


def held_out_examples(path: Path = HELD_OUT) -> list[Example]:
    return parse_annotated(path.read_text(encoding="utf-8"), origin=path.name)


def data_hash(pairs: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over the (text, label) pairs in order: the identity of a training set."""
    h = hashlib.sha256()
    for text, label in pairs:
        h.update(label.encode())
        h.update(b"\x1f")
        h.update(text.encode())
        h.update(b"\x1e")
    return h.hexdigest()
