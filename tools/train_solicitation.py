"""Train the solicitation model and write ``bot/moderation/solicitation_model.json``.

    python tools/train_solicitation.py            # write the model file
    python tools/train_solicitation.py --check    # exit 1 if the shipped file differs

Training data: the project's own labelled set (``tests/data/solicitation_cases.tsv``, all rows)
and the **dev** rows of the independent set (``tests/data/solicitation_eval.tsv``). The
independent set's held-out rows are filtered out when the file is read and never seen here.

The decision threshold is chosen by 5-fold cross-validation on the training data: the lowest
threshold at which the combined scorer (rules, or model where the model may speak) reaches
out-of-fold precision of at least :data:`TARGET_PRECISION`, plus a safety margin. Everything
is deterministic (fixed folds by text hash, fixed seed, sorted output).
"""

from __future__ import annotations

# ruff: noqa: T201  (a command-line tool: it prints its report)
import argparse
import csv
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.moderation import solicitation  # noqa: E402
from bot.moderation.features import Vector, normalise, word_buckets  # noqa: E402
from bot.moderation.model import MODEL_FILE, Model, sigmoid, train  # noqa: E402

OWN = ROOT / "tests" / "data" / "solicitation_cases.tsv"
EVAL = ROOT / "tests" / "data" / "solicitation_eval.tsv"
OUT = ROOT / "bot" / "moderation" / MODEL_FILE

FOLDS = 5
TARGET_PRECISION = 0.97
THRESHOLD_MARGIN = 0.05
GRID = [round(0.30 + 0.01 * i, 2) for i in range(66)]  # 0.30 … 0.95
# A word opens the gate to the model if it weighs at least GATE_MIN, occurs in at least
# GATE_MIN_COUNT adverts, and is GATE_RATIO times more frequent in adverts than elsewhere.
GATE_MIN = 0.1
GATE_MIN_COUNT = 3
GATE_RATIO = 4.0


@dataclass(frozen=True)
class Sample:
    text: str
    selling: bool
    x: Vector
    words: frozenset[int]
    commerce: frozenset[int]
    rules_flag: bool
    distress: bool
    vetoed: bool
    selling_rule: bool
    found: frozenset[str]
    mitigations: tuple[str, ...]


def read_training() -> list[tuple[str, bool]]:
    rows: list[tuple[str, bool]] = []
    with OWN.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append((row["text"], row["label"] == "solicit"))
    with EVAL.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["split"] != "dev":
                continue  # the held-out part is never used for training or tuning
            rows.append((row["text"], row["label"] == "solicit"))
    return rows


def prepare(rows: Sequence[tuple[str, bool]]) -> list[Sample]:
    public = solicitation._public(tuple(solicitation.KENYAN_PUBLIC_HELPLINES))
    samples = []
    for text, selling in rows:
        source = normalise(text)
        rules = solicitation._rules(source, False, public, solicitation.NO_SIGNALS)
        x = solicitation.vector(text, source, solicitation.NO_SIGNALS, solicitation._codes(rules))
        vetoed = bool(solicitation._MODEL_VETO & set(rules.mitigations)) and not (
            rules.business_contact
        )
        samples.append(
            Sample(
                text=text,
                selling=selling,
                x=x,
                words=frozenset(word_buckets(source)),
                commerce=frozenset(word_buckets(source, content_only=True)),
                rules_flag=rules.score >= solicitation.DEFAULT_THRESHOLD and not rules.distress,
                distress=rules.distress,
                vetoed=vetoed,
                selling_rule=bool(rules.found & solicitation._SELLING),
                mitigations=rules.mitigations,
                found=rules.found,
            )
        )
    return samples


def gate_of(weights: dict[int, float], samples: Sequence[Sample]) -> frozenset[int]:
    """Commercial words: frequent in adverts, rare elsewhere, and weighed towards selling."""
    selling: dict[int, int] = {}
    other: dict[int, int] = {}
    for sample in samples:
        counts = selling if sample.selling else other
        for b in sample.commerce:
            counts[b] = counts.get(b, 0) + 1
    n_selling = max(1, sum(s.selling for s in samples))
    n_other = max(1, len(samples) - n_selling)
    return frozenset(
        b
        for b, count in selling.items()
        if count >= GATE_MIN_COUNT
        and (count / n_selling) >= GATE_RATIO * (other.get(b, 0) / n_other)
        and weights.get(b, 0.0) >= GATE_MIN
    )


def fold_of(text: str) -> int:
    return hashlib.sha256(text.encode()).digest()[0] % FOLDS


def decide(sample: Sample, probability: float, gate: frozenset[int], cut: float) -> bool:
    if sample.distress:
        return False
    if sample.rules_flag:
        return True
    may_speak = solicitation.model_may_speak(len(sample.commerce & gate), sample.found)
    needed = solicitation.model_cut(cut, sample.mitigations, sample.selling_rule)
    return may_speak and not sample.vetoed and probability >= needed


def cross_validate(samples: Sequence[Sample]) -> list[tuple[float, frozenset[int]]]:
    """Out-of-fold probability and gate for every sample."""
    out: list[tuple[float, frozenset[int]]] = [(0.0, frozenset())] * len(samples)
    for fold in range(FOLDS):
        inside = [s for s in samples if fold_of(s.text) != fold]
        weights = train([(s.x, s.selling) for s in inside])
        gate = gate_of(weights, inside)
        for position, sample in enumerate(samples):
            if fold_of(sample.text) == fold:
                z = sum(weights.get(i, 0.0) * v for i, v in sample.x)
                out[position] = (sigmoid(z), gate)
    return out


def choose_threshold(samples: Sequence[Sample], oof: Sequence[tuple[float, frozenset[int]]]):
    table = []
    for cut in GRID:
        tp = fp = fn = 0
        for sample, (p, gate) in zip(samples, oof, strict=True):
            flagged = decide(sample, p, gate, cut)
            tp += flagged and sample.selling
            fp += flagged and not sample.selling
            fn += (not flagged) and sample.selling
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        table.append((cut, precision, recall, tp, fp, fn))
    chosen = next((row for row in table if row[1] >= TARGET_PRECISION), table[-1])
    return min(0.95, round(chosen[0] + THRESHOLD_MARGIN, 2)), chosen, table


def build(verbose: bool = False) -> str:
    samples = prepare(read_training())
    oof = cross_validate(samples)
    threshold, chosen, table = choose_threshold(samples, oof)
    if verbose:
        for cut, precision, recall, tp, fp, fn in table[::5]:
            print(
                f"cv cut={cut:.2f} precision={precision:.3f} recall={recall:.3f} "
                f"tp={tp} fp={fp} fn={fn}"
            )
        print(
            f"chosen cv cut {chosen[0]:.2f} (precision {chosen[1]:.3f}, recall "
            f"{chosen[2]:.3f}); shipped threshold {threshold:.2f}"
        )
    weights = train([(s.x, s.selling) for s in samples])
    model = Model(weights=weights, threshold=threshold, gate=gate_of(weights, samples))
    if verbose:
        print(f"{len(samples)} samples, {len(weights)} weights, {len(model.gate)} gate words")
    return model.to_json()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    text = build(verbose=not args.quiet)
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("model file is up to date" if same else "model file differs: retrain")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
