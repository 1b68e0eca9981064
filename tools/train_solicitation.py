"""Train the solicitation model and write ``bot/moderation/solicitation_model.json``.

    python tools/train_solicitation.py            # write the model file
    python tools/train_solicitation.py --check    # exit 1 if the shipped file differs

Training data: the project's own labelled set (``tests/data/solicitation_cases.tsv``, all rows),
the **dev** rows of the independent set (``tests/data/solicitation_eval.tsv``) and the set the
tuning side wrote itself (``tests/data/solicitation_authored.tsv``, see
``solicitation_authored.md``). The independent set's held-out rows are filtered out when the
file is read and never seen here; a fresh held-out set (``solicitation_fresh.tsv``) is never read.

The decision threshold is chosen by 5-fold cross-validation on the training data: the lowest
threshold at which the combined scorer (the rules where the model gives at least
``RULE_FLOOR``, or the model) reaches out-of-fold precision of at least
:data:`TARGET_PRECISION`, plus a safety margin. Everything
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
from bot.moderation.features import Vector, read, vector  # noqa: E402
from bot.moderation.model import MODEL_FILE, Model, sigmoid, train  # noqa: E402

OWN = ROOT / "tests" / "data" / "solicitation_cases.tsv"
EVAL = ROOT / "tests" / "data" / "solicitation_eval.tsv"
AUTHORED = ROOT / "tests" / "data" / "solicitation_authored.tsv"
OUT = ROOT / "bot" / "moderation" / MODEL_FILE

FOLDS = 5
TARGET_PRECISION = 0.97
THRESHOLD_MARGIN = 0.05
GRID = [round(0.30 + 0.01 * i, 2) for i in range(66)]  # 0.30 … 0.95


@dataclass(frozen=True)
class Sample:
    text: str
    selling: bool
    x: Vector
    rules_score: float
    distress: bool
    vetoed: bool
    selling_rule: bool
    mitigations: tuple[str, ...]


def _read(path: Path, keep: str | None = None) -> list[tuple[str, bool]]:
    rows: list[tuple[str, bool]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if keep is not None and row["split"] != keep:
                continue  # the held-out part is never used for training or tuning
            rows.append((row["text"], row["label"] == "solicit"))
    return rows


def read_training() -> list[tuple[str, bool]]:
    return _read(OWN) + _read(EVAL, keep="dev") + _read(AUTHORED)


def prepare(rows: Sequence[tuple[str, bool]]) -> list[Sample]:
    public = solicitation._public(tuple(solicitation.KENYAN_PUBLIC_HELPLINES))
    samples = []
    for text, selling in rows:
        reading = read(text)
        rules = solicitation._rules(reading, False, public)
        samples.append(
            Sample(
                text=text,
                selling=selling,
                x=vector(reading),
                rules_score=rules.score,
                distress=rules.distress,
                vetoed=bool(solicitation._MODEL_VETO & set(rules.mitigations))
                and not rules.business_contact,
                selling_rule=bool(rules.found & solicitation._SELLING),
                mitigations=rules.mitigations,
            )
        )
    return samples


def fold_of(text: str) -> int:
    return hashlib.sha256(text.encode()).digest()[0] % FOLDS


def decide(sample: Sample, probability: float, cut: float) -> bool:
    """As :func:`bot.moderation.solicitation.assess_reading` decides, for a given cut."""
    if sample.distress:
        return False
    if (
        sample.rules_score >= solicitation.DEFAULT_THRESHOLD
        and probability >= solicitation.RULE_FLOOR
    ):
        return True
    needed = solicitation.model_cut(cut, sample.mitigations, sample.selling_rule)
    return not sample.vetoed and probability >= needed


def cross_validate(samples: Sequence[Sample]) -> list[float]:
    """Out-of-fold probability for every sample."""
    out = [0.0] * len(samples)
    for fold in range(FOLDS):
        inside = [s for s in samples if fold_of(s.text) != fold]
        weights, bias = train([(s.x, s.selling) for s in inside])
        scorer = Model(weights=weights, threshold=0.5, bias=bias)
        for position, sample in enumerate(samples):
            if fold_of(sample.text) == fold:
                out[position] = sigmoid(scorer.margin(sample.x))
    return out


Row = tuple[float, float, float, int, int, int]


def choose_threshold(
    samples: Sequence[Sample], oof: Sequence[float]
) -> tuple[float, Row, list[Row]]:
    table: list[Row] = []
    for cut in GRID:
        tp = fp = fn = 0
        for sample, p in zip(samples, oof, strict=True):
            flagged = decide(sample, p, cut)
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
    weights, bias = train([(s.x, s.selling) for s in samples])
    model = Model(weights=weights, threshold=threshold, bias=bias)
    if verbose:
        print(f"{len(samples)} samples, {len(weights)} weights")
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
