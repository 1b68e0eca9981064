"""Buddies on request, by consent on both sides.

A member asks for a buddy (``/buddy find``, optionally with a word, ``/buddy find woman``). The
bot proposes one person among those who opted in (``/buddy on``), share a group with the asker,
did not block them, are not in another pair and were never proposed with them before (so a
re-match is someone new), matched only by the words each chose about themselves. Both are asked
privately; each sees only the other's own words, never a name. Only when both said yes does
each get a link to the other's account. Either may end a proposal or a pair at any time with no
reason (``/buddy end``); the other is told kindly, without blame. Nobody else is told anything.

An administrator of the pair's group may ask how the match is going (``/buddy review``) only
for pairs where both said yes to it (``/buddy check yes``): each is asked privately, and the
administrator hears each answer without a name. Pairs without both yeses are not contacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.callbacks import encode
from bot.delivery.outbox import send_critical
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.i18n import Safe
from bot.peers import FEATURE, peertalk
from bot.people import language_of
from bot.records.peers import ACTIVE, PROPOSED, BuddyPair

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.delivery.outbox import Row

YES = "buddy_yes"  # pair_id
NO = "buddy_no"  # pair_id
HOW = "buddy_how"  # pair_id, admin_id, working | not
WORKING, NOT_WORKING = "working", "not"
ENDED, DECLINED = "ended", "declined"


async def find(app: App, user_id: int, wants: str | None) -> BuddyPair | None:
    """Propose a buddy to this member (None: nobody fits right now)."""
    data = app.bot_data
    store = data.store
    if await store.peers.current_pair(user_id) is not None:
        raise RefusedError("peers.buddy_already")
    excluded = await store.peers.paired_before(user_id) | await store.peers.busy_buddies()
    for profile in await store.peers.willing_buddies():
        if profile.user_id in excluded or not peertalk.matches(profile.tags, wants):
            continue
        if not await peertalk.willing_to_hear(data, profile.user_id, user_id, buddy=True):
            continue
        chat_id = await peertalk.shared_group(app, user_id, profile.user_id)
        if chat_id is None:
            continue
        pair_id = await store.peers.propose_pair(chat_id, user_id, profile.user_id)
        pair = await store.peers.pair(pair_id)
        if pair is not None:
            await _propose(app, pair)
        return pair
    return None


def buddy_link(data: BotData, lang: str, user_id: int) -> Safe:
    """A link to a buddy's account (given only once both said yes); no name is stored."""
    label = data.texts.t(lang, "peers.buddy_link")
    return Safe(f'<a href="tg://user?id={user_id}">{label}</a>')


async def _words_of(data: BotData, lang: str, user_id: int) -> Safe:
    profile = await data.store.peers.profile(user_id)
    tags = profile.tags if profile else ()
    if not tags:
        return data.texts.t(lang, "peers.no_words")
    return Safe(", ".join(str(data.texts.t(lang, f"peers.tag_{tag}")) for tag in tags))


def _answers(data: BotData, lang: str, pair_id: int) -> list[Row]:
    return [
        [(data.texts.raw(lang, "peers.buddy_yes"), encode(FEATURE, YES, pair_id))],
        [(data.texts.raw(lang, "peers.buddy_no"), encode(FEATURE, NO, pair_id))],
    ]


async def _propose(app: App, pair: BuddyPair) -> None:
    """Each side sees only the other's own words, and is asked for a yes."""
    data = app.bot_data
    sides = ((pair.member_id, "peers.buddy_found"), (pair.buddy_id, "peers.buddy_asked"))
    for user_id, key in sides:
        lang = await language_of(data, user_id)
        other = pair.other(user_id) or 0
        text = data.texts.t(lang, key, words=await _words_of(data, lang, other))
        buttons = _answers(data, lang, pair.id)
        await send_critical(app, user_id, text, kind="buddy", buttons=buttons, member_id=user_id)


async def _side(data: BotData, pair_id: int, user_id: int) -> BuddyPair:
    pair = await data.store.peers.pair(pair_id)
    if pair is None or pair.status != PROPOSED:
        raise StaleButtonError
    if pair.other(user_id) is None:
        raise NotForYouError
    return pair


async def say_yes(app: App, pair_id: int, user_id: int) -> bool:
    """One side's yes; True when both have said yes (each now gets the other's account)."""
    data = app.bot_data
    await _side(data, pair_id, user_id)
    pair = await data.store.peers.say_yes(pair_id, user_id)
    if pair is None or pair.status != ACTIVE:
        return False
    for side in (pair.member_id, pair.buddy_id):
        lang = await language_of(data, side)
        other = pair.other(side) or 0
        text = data.texts.t(lang, "peers.buddy_paired", link=buddy_link(data, lang, other))
        await send_critical(app, side, text, kind="buddy", member_id=side)
    return True


async def say_no(app: App, pair_id: int, user_id: int) -> None:
    """Not now: the proposal ends; the other hears only that it did not go ahead."""
    pair = await _side(app.bot_data, pair_id, user_id)
    if await app.bot_data.store.peers.end_pair(pair.id, DECLINED):
        await _tell_other(app, pair, user_id, "peers.buddy_not_ahead")


async def end(app: App, user_id: int) -> None:
    """``/buddy end``: no reason asked; the other is told kindly, without blame."""
    data = app.bot_data
    pair = await data.store.peers.current_pair(user_id)
    if pair is None:
        raise RefusedError("peers.buddy_none")
    if not await data.store.peers.end_pair(pair.id, ENDED):
        raise RefusedError("peers.buddy_none")
    key = "peers.buddy_ended_other" if pair.status == ACTIVE else "peers.buddy_not_ahead"
    await _tell_other(app, pair, user_id, key)


async def farewell(app: App, user_id: int) -> None:
    """The person asked to be forgotten (``/forgetme``): the other in a pair with them is told
    kindly, as after ``/buddy end`` (the erasure removes the pair itself). Call it inside the
    erasure's commit, so the notice and the erasure go together."""
    pair = await app.bot_data.store.peers.current_pair(user_id)
    if pair is not None:
        key = "peers.buddy_ended_other" if pair.status == ACTIVE else "peers.buddy_not_ahead"
        await _tell_other(app, pair, user_id, key)


async def _tell_other(app: App, pair: BuddyPair, user_id: int, key: str) -> None:
    other = pair.other(user_id)
    if other is None:
        return
    data = app.bot_data
    lang = await language_of(data, other)
    await send_critical(app, other, data.texts.t(lang, key), kind="buddy", member_id=other)


async def allow_check(app: App, user_id: int, allowed: bool) -> None:
    """``/buddy check yes|no``: one's own yes (or no) to an administrator asking."""
    pair = await app.bot_data.store.peers.current_pair(user_id)
    if pair is None or pair.status != ACTIVE:
        raise RefusedError("peers.buddy_none")
    await app.bot_data.store.peers.allow_check(pair.id, user_id, allowed)


async def review(app: App, admin_id: int, chat_ids: list[int]) -> tuple[int, int]:
    """Ask each pair who both agreed how it is going; (pairs asked, pairs not asked)."""
    data = app.bot_data
    asked = skipped = 0
    for chat_id in chat_ids:
        for pair in await data.store.peers.active_pairs(chat_id):
            if not pair.both_allow_check:
                skipped += 1
                continue
            asked += 1
            for side in (pair.member_id, pair.buddy_id):
                lang = await language_of(data, side)
                rows: list[Row] = [
                    [
                        (
                            data.texts.raw(lang, f"peers.buddy_how_{answer}"),
                            encode(FEATURE, HOW, pair.id, admin_id, answer),
                        )
                    ]
                    for answer in (WORKING, NOT_WORKING)
                ]
                text = data.texts.t(lang, "peers.buddy_how")
                await send_critical(app, side, text, kind="buddy", buttons=rows, member_id=side)
    return asked, skipped


async def how_answered(app: App, pair_id: int, admin_id: int, user_id: int, answer: str) -> None:
    """A buddy's answer reaches the administrator who asked, without a name."""
    data = app.bot_data
    pair = await data.store.peers.pair(pair_id)
    if answer not in (WORKING, NOT_WORKING) or pair is None or pair.status != ACTIVE:
        raise StaleButtonError
    if pair.other(user_id) is None:
        raise NotForYouError
    if not pair.both_allow_check or not await data.admins.is_admin(
        app.bot, pair.chat_id, admin_id
    ):
        raise StaleButtonError
    lang = await language_of(data, admin_id)
    group = await data.store.groups.get(pair.chat_id)
    text = data.texts.t(
        lang,
        "peers.buddy_how_told",
        group=group.title if group else "",
        answer=data.texts.t(lang, f"peers.buddy_how_{answer}"),
    )
    await send_critical(app, admin_id, text, kind="buddy", member_id=admin_id)
