"""Learning from the group's admins, and what Telegram parsed, through the real Application, real
SQLite and the Bot API emulator: an answer to a flag teaches from the hashed features the flag
carried (never its text), a wrongly flagged member's message makes similar ones unflagged, a
/solicitor by reply makes similar adverts flagged, the learning survives a restart and
/flagging reset forgets it. Hidden links, forwards from channels with URL buttons and captions
are read."""

from __future__ import annotations

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

MEMBER_POST = "Hello family, I now make mandazi in Kasarani. Good prices, order inbox 🙂"
SIMILAR_POST = "Hello family, I now make mandazi in Kasarani! Good prices, order inbox 🙏"
FLAG_TEXT = "may be advertising services"


async def _flags(harness: Harness, cast: Cast) -> int:
    """How many messages were held up to the admins (each flag is one row and one notice)."""
    rows = await harness.app.bot_data.store.db.fetch_all(
        "SELECT id FROM mod_reports WHERE kind = 'flag' AND chat_id = ?", (cast.group.id,)
    )
    notices = sum(FLAG_TEXT in t for t in harness.said(cast.owner))
    assert notices <= len(rows)  # a handled flag's notice shows its outcome instead
    return len(rows)


async def test_its_fine_teaches_survives_a_restart_and_can_be_reset(
    harness: Harness, cast: Cast
) -> None:
    store = harness.app.bot_data.store
    await harness.say(cast.group, cast.neema, MEMBER_POST)
    assert await _flags(harness, cast) == 1
    # The flag's row carries the message's hashed features: numbers, never the text.
    rows = await store.db.fetch_all("SELECT features FROM mod_reports WHERE kind = 'flag'")
    assert len(rows) == 1 and rows[0]["features"]
    stored = str(rows[0]["features"])
    assert "mandazi" not in stored and "Kasarani" not in stored and "inbox" not in stored
    assert all(part.split(":")[0].isdigit() for part in stored.split(","))

    await harness.tap(cast.owner, cast.owner, "It's fine")
    rows = await store.db.fetch_all("SELECT features, outcome FROM mod_reports")
    assert rows[0]["features"] is None and rows[0]["outcome"] == "ok"
    learned = await store.db.fetch_all("SELECT bucket, weight FROM solicitation_learning")
    assert learned  # bucket → weight only
    meta = await store.db.fetch_one("SELECT answers FROM solicitation_learning_meta")
    assert meta is not None and meta["answers"] == 1

    # A similar message by another member is no longer held up to the admins…
    await harness.say(cast.group, cast.juma, SIMILAR_POST)
    assert await _flags(harness, cast) == 1
    # …after a restart too (the learned state is read back from the database)…
    await harness.restart()
    store = harness.app.bot_data.store
    await harness.say(cast.group, cast.neema, SIMILAR_POST + " Karibuni")
    assert await _flags(harness, cast) == 1
    # …while adverts still are.
    await harness.say(
        cast.group, cast.juma, "DM me for therapy sessions, fee KSh 2000, M-Pesa till 123456"
    )
    assert await _flags(harness, cast) == 2

    # A member cannot reset it; an admin can, and the scorer is as shipped again.
    await harness.say(cast.group, cast.juma, "/flagging reset")
    assert await store.db.fetch_all("SELECT bucket FROM solicitation_learning")
    await harness.say(cast.group, cast.owner, "/flagging reset")
    assert "forgotten what the admins taught it" in harness.said(cast.group)[-1]
    assert await store.db.fetch_all("SELECT bucket FROM solicitation_learning") == []
    await harness.say(cast.group, cast.owner, "/flagging reset")
    assert "nothing to forget" in harness.said(cast.group)[-1]
    seller = harness.user("Mandazi Mama")
    await harness.join(cast.group, seller)
    await harness.say(cast.group, seller, SIMILAR_POST)
    assert await _flags(harness, cast) == 3
    entries = [e.action for e in await store.audit.recent(cast.group.id)]
    assert "mod.flagging_set" in entries


async def test_solicitor_by_reply_makes_similar_adverts_flagged(
    harness: Harness, cast: Cast
) -> None:
    store = harness.app.bot_data.store
    first, second = harness.user("Uji Seller"), harness.user("Uji Seller Two")
    for seller in (first, second):
        await harness.join(cast.group, seller)
    advert = await harness.say(
        cast.group, first, "Nimeanza biashara ya uji wa wimbi Kasarani, bei poa, order inbox"
    )
    assert await _flags(harness, cast) == 0  # the shipped scorer does not know this kind yet
    await harness.say(cast.group, cast.owner, "/solicitor", reply_to=advert)
    assert harness.emu.member(cast.group, first).status == "kicked"
    assert harness.emu.message(cast.group, advert).deleted  # type: ignore[union-attr]
    meta = await store.db.fetch_one("SELECT answers FROM solicitation_learning_meta")
    assert meta is not None and meta["answers"] == 1
    await harness.say(
        cast.group, second, "Nimeanza biashara ya uji wa wimbi pale Githurai, bei poa, order inbox"
    )
    assert await _flags(harness, cast) == 1
    # Ordinary talk stays ordinary.
    await harness.say(cast.group, cast.juma, "Good morning family, how did you sleep?")
    await harness.say(cast.group, cast.neema, "Nimechoka sana leo, naomba mtu aongee nami")
    assert await _flags(harness, cast) == 1


async def test_a_hidden_link_is_read(harness: Harness, cast: Cast) -> None:
    await harness.say(cast.group, cast.juma, "Details are here")
    assert await _flags(harness, cast) == 0
    await harness.say(
        cast.group,
        cast.neema,
        'Details are <a href="https://calm-clinic.example/book-a-paid-session">here</a>',
        formatted=True,
    )
    assert await _flags(harness, cast) == 1


async def test_a_channel_forward_and_its_buttons_are_read(harness: Harness, cast: Cast) -> None:
    text = "New this month for our community 🌿"
    await harness.say(cast.group, cast.juma, text)
    assert await _flags(harness, cast) == 0
    harness.emu.forward_from_channel(
        cast.group,
        cast.neema,
        "Heal Academy",
        text,
        url_buttons=[("Enrol now 50% off", "https://healacademy.example/enrol")],
    )
    await harness.settle()
    assert await _flags(harness, cast) == 1


async def test_a_caption_is_screened(harness: Harness, cast: Cast) -> None:
    harness.emu.send_photo(
        cast.group,
        cast.juma,
        caption="Herbal remedy for depression, 1 bottle 1,500. Countrywide delivery, order inbox",
    )
    await harness.settle()
    assert await _flags(harness, cast) == 1


async def test_exclude_as_solicitor_teaches_selling(harness: Harness, cast: Cast) -> None:
    store = harness.app.bot_data.store
    seller = harness.user("Coach Ben")
    await harness.join(cast.group, seller)
    await harness.say(
        cast.group, seller, "Private counselling sessions, only KSh 1500 per session. DM me"
    )
    assert await _flags(harness, cast) == 1
    await harness.tap(cast.admin, cast.admin, "Exclude as solicitor")
    assert harness.emu.member(cast.group, seller).status == "kicked"
    rows = await store.db.fetch_all("SELECT features FROM mod_reports")
    assert rows[0]["features"] is None
    meta = await store.db.fetch_one("SELECT answers FROM solicitation_learning_meta")
    assert meta is not None and meta["answers"] == 1
    # The model was already sure of this one: a "selling" answer has nothing to move.
    learned = await harness.app.bot_data.moderation.learned(store.learning)
    assert all(w >= 0 for w in learned.weights.values())
