"""Learning from admins' answers: hashed features only, survives a restart, can be reset."""

from __future__ import annotations

from pathlib import Path

from bot.crypto import FieldCipher
from bot.moderation import learning_service
from bot.moderation.features import read
from bot.moderation.learning import MAX_ADJUSTMENT, Learned, decode_vector, encode_vector
from bot.moderation.screening import screen
from bot.moderation.solicitation import assess, features_of
from bot.storage.store import Store
from bot.timeutil import ManualClock

# A member's message that reads like an advert to the shipped model (an admin says it is not).
MEMBER = "Hello family, I now run my own small salon business in Kasarani. Delivery of hope 💇"
ADVERT = "Wasee, nimeanza biashara ya uji wa wimbi kwa wale wako na stress, order inbox"


def test_not_selling_makes_that_message_and_similar_ones_less_likely() -> None:
    learned = Learned()
    text = "I'm a certified counsellor, DM me for sessions, affordable rates"
    similar = "I'm a certified counsellor. DM me for sessions, very affordable rates 🙏"
    before = assess(text, learned=learned)
    before_similar = assess(similar, learned=learned)
    assert before.flagged and before_similar.flagged
    learned.learn(before.vector, selling=False)
    after = assess(text, learned=learned)
    after_similar = assess(similar, learned=learned)
    assert not after.flagged  # admins said this is fine here: not even the rules flag it
    assert after_similar.score < before_similar.score
    assert after.probability is not None and before.probability is not None
    assert after.probability < before.probability
    # Unrelated adverts are still flagged.
    assert assess("Lipa na M-Pesa Till No 000123, KES 2000 per session", learned=learned).flagged


def test_selling_makes_that_message_and_similar_ones_more_likely() -> None:
    learned = Learned()
    before = assess(ADVERT, learned=learned)
    x = features_of(ADVERT)  # as /solicitor by reply would compute it
    changed = learned.learn(x, selling=True)
    assert changed and all(abs(w) <= MAX_ADJUSTMENT for w in changed.values())
    after = assess(ADVERT, learned=learned)
    assert after.probability is not None
    assert before.probability is not None and after.probability > before.probability
    assert after.flagged and screen(read(ADVERT), learned=learned).flagged
    # Ordinary messages stay ordinary.
    for text in ("Good morning everyone, how did you sleep?", "I want to die", "Nimechoka sana"):
        assert not assess(text, learned=learned).flagged


def test_distress_is_never_flagged_even_after_learning() -> None:
    learned = Learned()
    text = "I feel hopeless. I am a counsellor and DM me for sessions"
    for _ in range(5):
        learned.learn(features_of(text), selling=True)
    assert not assess(text, learned=learned).flagged


def test_learned_state_holds_no_text() -> None:
    learned = Learned()
    learned.learn(features_of("Zanzibarqux herbal cure 0700 000 111, DM"), selling=True)
    dumped = repr(sorted(learned.weights.items()))
    assert "zanzibarqux" not in dumped.lower() and "0700" not in dumped
    assert all(isinstance(b, int) for b in learned.weights)


def test_a_vector_waits_as_numbers_and_reads_back() -> None:
    x = features_of(ADVERT)
    stored = encode_vector(x)
    assert "wimbi" not in stored and "inbox" not in stored
    back = decode_vector(stored)
    assert [b for b, _ in back] == [b for b, _ in x]
    assert all(abs(v - w) < 1e-5 for (_, v), (_, w) in zip(back, x, strict=True))
    for bad in (None, "", "x:1", "1:nan", "999999999:1", "1:2:3", "1"):
        assert decode_vector(bad) == ()


async def test_learning_survives_a_restart_and_can_be_reset(
    tmp_path: Path, cipher: FieldCipher, clock: ManualClock
) -> None:
    path = tmp_path / "learn.sqlite3"
    store = await Store.open(path, cipher, clock)
    try:
        learned = await learning_service.load(store.learning)
        assert learned.answers == 0 and not learned.weights
        verdict = assess(MEMBER, learned=learned)
        await learning_service.teach(learned, store.learning, verdict.vector, selling=False)
        await learning_service.teach(learned, store.learning, features_of(ADVERT), selling=True)
        snapshot = dict(learned.weights)
    finally:
        await store.close()

    store = await Store.open(path, cipher, clock)
    try:
        restored = await learning_service.load(store.learning)
        assert restored.answers == 2
        assert restored.weights.keys() == snapshot.keys()
        assert all(abs(restored.weights[b] - w) < 1e-9 for b, w in snapshot.items())
        assert await learning_service.reset(restored, store.learning) > 0
        assert not restored.weights and restored.answers == 0
        again = await learning_service.load(store.learning)
        assert not again.weights and again.answers == 0
        # No row of the learned tables holds anything but numbers.
        for table in ("solicitation_learning", "solicitation_learning_meta"):
            columns = await store.db.fetch_all(f"PRAGMA table_info({table})")
            assert {c["type"] for c in columns} <= {"INTEGER", "REAL"}
    finally:
        await store.close()
