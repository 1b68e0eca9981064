"""/talk to a chosen peer, or to any willing peer by a stated preference — both by consent.

Who may be asked: only a member who opted in (``/peer on``) and shares a group with the asker;
never someone who opted out (``/peer off``) or blocked the asker's requests. A preference is one
word from a fixed list (``TAGS``), matched only against the words a peer chose for themselves
(``/peer about ...``, kept encrypted); nothing is ever inferred.

Who sees what, when:

* The asker names a member (``/talk @name``) or asks for any willing peer (``/talk peer``,
  optionally with a word, ``/talk peer woman``). A named member who has not opted in, opted out,
  blocked the asker or cannot be reached is never contacted; the asker hears only that this
  member does not take requests through Pamoja, whichever it was.
* The peer is asked privately, without the asker's identity: only the group, the preference the
  asker stated (if any) and Accept / Not now / Not from this person.
* Once the peer accepts, both talk through the relay (``bot.talk.relay``): neither sees the
  other's account unless they choose ``/share``. A willing peer stays unnamed to the asker.
* No yes in time, a "not now", or nobody matching at all are one and the same answer to the
  asker: "not available right now", with an administrator or any willing peer offered. The
  asker never learns who was asked or who did not match.
* Rate limits and one request at a time are those of ``/talk`` (``bot.talk.policy``).
* A peer who chose hours (``/peer hours 18-22``, the same setting as a listener's) is asked
  only within them; outside, the asker hears the same "not available right now".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.peers import boundaries
from bot.records.peers import PeerAsk
from bot.talk.members import groups_of

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.records.talk import Conversation

# The words a peer may choose about themselves (and an asker may ask for).
TAGS = (
    "woman",
    "man",
    "youth",
    "parent",
    "carer",
    "swahili",
    "english",
    "depression",
    "bipolar",
    "anxiety",
    "psychosis",
    "trauma",
)
# The same words in Kiswahili.
ALIASES = {
    "mwanamke": "woman",
    "mwanamume": "man",
    "kijana": "youth",
    "mzazi": "parent",
    "mlezi": "carer",
    "kiswahili": "swahili",
    "kiingereza": "english",
    "msongo": "depression",
    "wasiwasi": "anxiety",
    "kiwewe": "trauma",
}
# The word after /talk that means "any willing peer".
ANY_PEER = ("peer", "rika", "any")
MAX_TAGS = 5


def tag_of(word: str) -> str | None:
    word = word.strip().lower().strip(",.")
    return word if word in TAGS else ALIASES.get(word)


def parse_tags(words: list[str]) -> tuple[str, ...] | None:
    """The chosen words, each once, in the list's order; None if one is not on the list."""
    found: list[str] = []
    for word in words:
        tag = tag_of(word)
        if tag is None:
            return None
        if tag not in found:
            found.append(tag)
    return tuple(found[:MAX_TAGS])


def matches(tags: tuple[str, ...], wants: str | None) -> bool:
    return wants is None or wants in tags


async def willing_to_hear(
    data: BotData, peer_id: int, asker_id: int, *, buddy: bool = False
) -> bool:
    """The peer opted in (to requests, or to being a buddy), has not opted out, did not block
    the asker and can be written to."""
    profile = await data.store.peers.profile(peer_id)
    opted_in = profile is not None and (profile.buddy if buddy else profile.open)
    if not opted_in or peer_id == asker_id:
        return False
    if asker_id in await data.store.talk.blocks_of(peer_id):
        return False
    person = await data.store.users.get(peer_id)
    return person is not None and person.reachable


async def shared_group(app: App, asker_id: int, peer_id: int) -> int | None:
    """A group both are in (the first of the asker's), if any."""
    theirs = set(await app.bot_data.store.users.groups_of(peer_id))
    return next((g for g in await groups_of(app, asker_id) if g in theirs), None)


async def candidates(app: App, conversation: Conversation, ask: PeerAsk) -> list[int]:
    """Who this request may be offered to: the named member, or every willing peer in the
    group whose own words match the preference."""
    data = app.bot_data
    if ask.target_id is not None:
        peers = [ask.target_id]
    else:
        peers = await _matching(data, ask.wants)
    return await _willing_in(data, conversation.chat_id, peers, conversation.member_id)


async def group_for_any_peer(app: App, asker_id: int, groups: list[int], wants: str | None) -> int:
    """The group a request for any willing peer goes to: the first of the asker's groups with a
    willing peer whose own words match, so a member of several groups is not limited to their
    first one (the peer is only ever shown a group they are in themselves). With nobody in any
    of them, the first group: the request finds nobody, and the asker hears the one answer
    given for every "not now"."""
    data = app.bot_data
    peers = await _matching(data, wants)
    for chat_id in groups:
        if await _willing_in(data, chat_id, peers, asker_id):
            return chat_id
    return groups[0]


async def _matching(data: BotData, wants: str | None) -> list[int]:
    return [p.user_id for p in await data.store.peers.open_peers() if matches(p.tags, wants)]


async def _willing_in(data: BotData, chat_id: int, peers: list[int], asker_id: int) -> list[int]:
    """Those of ``peers`` in the group who are willing to hear from the asker now (within the
    hours they chose, if they chose any: ``/peer hours``)."""
    found = []
    for peer_id in peers:
        if chat_id not in await data.store.users.groups_of(peer_id):
            continue
        if not await boundaries.open_now(data, peer_id, chat_id):
            continue
        if await willing_to_hear(data, peer_id, asker_id):
            found.append(peer_id)
    return found
