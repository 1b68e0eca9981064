"""The shipped model: reproducible from the data, small in memory, cheap to skip."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from bot.moderation import features, model
from bot.moderation.learning import Learned
from bot.moderation.solicitation import assess, features_of

ROOT = Path(__file__).resolve().parents[2]
TRAINER = ROOT / "tools" / "train_solicitation.py"
SHIPPED = ROOT / "bot" / "moderation" / model.MODEL_FILE


def _trainer() -> ModuleType:
    if "train_solicitation" in sys.modules:
        return sys.modules["train_solicitation"]
    spec = importlib.util.spec_from_file_location("train_solicitation", TRAINER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_solicitation"] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_model_is_what_the_training_script_produces() -> None:
    built = _trainer().build()
    assert built == SHIPPED.read_text(encoding="utf-8"), "run tools/train_solicitation.py"


def test_training_never_reads_the_held_out_rows() -> None:
    trainer = _trainer()
    texts = {text for text, _ in trainer.read_training()}
    with (ROOT / "tests" / "data" / "solicitation_eval.tsv").open(encoding="utf-8") as handle:
        next(handle)
        heldout = {line.rstrip("\n").split("\t", 3)[3] for line in handle if "\theldout\t" in line}
    assert heldout and not texts & heldout


def test_model_loads_within_20_mb() -> None:
    script = (
        "import importlib.resources, sys\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * 4096\n"
        "text = (importlib.resources.files('bot.moderation') / 'solicitation_model.json')"
        ".read_text(encoding='utf-8')\n"
        "before = rss()\n"
        "from bot.moderation.model import Model\n"
        "m = Model.from_json(text)\n"
        "del text\n"
        "print(rss() - before)\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT
    )
    growth = int(out.stdout.strip())
    assert growth <= 20 * 1024 * 1024, growth


def test_model_file_is_sparse_and_loads() -> None:
    loaded = model.default()
    assert 0.3 <= loaded.threshold <= 0.95
    assert all(0 <= b < features.BUCKETS for b in loaded.weights)
    assert all(w != 0.0 for w in loaded.weights.values())
    assert len(loaded.weights) < features.BUCKETS // 4


def test_the_cheap_margin_is_the_vectors_margin() -> None:
    """The model reads every message by summing cached word weights; that must be exactly the
    margin over the hashed vector that learning uses."""
    learned = Learned()
    learned.learn(features_of("Herbal cure for stress, 1,500 a bottle, order inbox"), selling=True)
    signals = features.MessageSignals(entities=frozenset({"mention", "phone_number"}))
    for text in (
        "Hello everyone",
        "Wasee, nimeanza biashara ya uji, order inbox @uji_bora 0700 000 111",
        "I paid 2000 for my review, is that normal? Mathari was kind.",
        "",
        "🙏🙏",
        "a " * 500,
    ):
        for given in (None, signals):
            reading = features.read(text, given)
            shipped = model.default()
            cheap = shipped.margin_of(reading)
            full = shipped.margin(features.vector(reading))
            assert abs(cheap - full) < 1e-9, text
            cheap = shipped.margin_of(reading, learned.sums)
            full = shipped.margin(features.vector(reading), learned.weights)
            assert abs(cheap - full) < 1e-9, text


def test_the_model_reads_every_message() -> None:
    for text in ("Good morning", "Nimechoka", "Karibu sana", "unheard-of zqx words"):
        assert assess(text).probability is not None


def test_vector_holds_no_text_and_is_stable() -> None:
    text = "Zanzibarqux counselling sessions KES 2000, DM me"
    first = features_of(text)
    assert first == features_of(text)
    assert all(isinstance(b, int) and isinstance(v, float) for b, v in first)
    assert "zanzibarqux" not in repr(first).lower()
    assert features.bucket("w:sessions") == features.bucket("w:sessions")
    # The vector is not part of the verdict's repr (it could be mistaken for content).
    assert "vector" not in repr(assess(text))


def test_short_greetings_never_reach_the_model_threshold() -> None:
    for text in ("hello", "Hello everyone", "Hi fam", "Karibu sana", "Habari wapendwa"):
        assert not assess(text).flagged, text


def test_telegram_signals_count_but_never_flag_alone() -> None:
    plain = "Have a look at this"
    linked = assess(plain, signals=features.MessageSignals(entities=frozenset({"text_link"})))
    forwarded = assess(plain, signals=features.MessageSignals(forward_origin="channel"))
    buttons = assess(plain, signals=features.MessageSignals(url_buttons=2))
    assert "contact" in linked.reasons
    assert "channel_forward" in forwarded.reasons
    assert "link_button" in buttons.reasons
    for verdict in (linked, forwarded, buttons):
        assert not verdict.flagged
    # With a booking phrase, a hidden link is a booking link.
    booked = assess(
        "Book your session here",
        signals=features.MessageSignals(entities=frozenset({"text_link"})),
    )
    assert "booking_link" in booked.reasons
