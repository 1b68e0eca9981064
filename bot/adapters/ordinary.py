"""An ordinary group message, read straight from the JSON Telegram sends.

Most updates a deployment receives are members talking in their groups. For each of them the
bot only notes that the member took part and screens the words; building python-telegram-bot's
objects for it (``Update.de_json``: a few hundred attribute assignments) costs more than all of
that. :func:`ordinary_message` recognises such an update from its JSON and gives the few plain
values the bot needs, so it can be handled without them (``bot/handlers/ordinary.py``).

It is deliberately narrow: anything else — an edit, a command (or any text starting with "/"),
a caption, a forward, buttons, a message from a bot or sent on behalf of a chat, a service
message, any field not listed in ``PLAIN_FIELDS`` — is not ordinary (None), and takes the full
path through every handler. Being wrong in that direction costs only time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

GROUP_CHAT_TYPES: Final = frozenset({"group", "supergroup"})
# The fields an ordinary text message in a group may carry (Bot API ``Message``).
PLAIN_FIELDS: Final = frozenset(
    {
        "message_id",
        "date",
        "chat",
        "from",
        "text",
        "entities",
        "reply_to_message",
        "quote",
        "message_thread_id",
        "is_topic_message",
        "link_preview_options",
    }
)
UPDATE_FIELDS: Final = frozenset({"update_id", "message"})
NESTED_FIELDS: Final = ("reply_to_message", "quote", "link_preview_options")


@dataclass(frozen=True, slots=True)
class OrdinaryMessage:
    """What the bot reads of an ordinary group message (held only while it is handled)."""

    update_id: int
    chat_id: int
    message_id: int
    sender_id: int
    first_name: str = field(repr=False)
    username: str | None = field(repr=False)
    language_code: str | None
    text: str = field(repr=False)
    # The types of the text's entities ("url", "mention"...) and the addresses of its hidden
    # links (``text_link``), as ``signals_of`` reads them from a ``Message``.
    entity_types: frozenset[str] = frozenset()
    hidden_links: tuple[str, ...] = field(default=(), repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def ordinary_message(raw: object) -> OrdinaryMessage | None:
    """The update as an ordinary group message, or None when it is anything else."""
    if not isinstance(raw, dict) or raw.keys() != UPDATE_FIELDS:
        return None
    message = raw["message"]
    if not isinstance(message, dict) or not message.keys() <= PLAIN_FIELDS:
        return None
    chat, sender, text = message.get("chat"), message.get("from"), message.get("text")
    if not isinstance(chat, dict):
        return None
    kind = chat.get("type")
    if not isinstance(kind, str) or kind not in GROUP_CHAT_TYPES:
        return None
    if not isinstance(sender, dict) or sender.get("is_bot") is not False:
        return None
    if not isinstance(text, str) or not text or text.startswith("/"):
        return None
    entities = _entities(message.get("entities"))
    if entities is None:
        return None
    ids = _ints(
        raw["update_id"],
        chat.get("id"),
        message.get("message_id"),
        sender.get("id"),
        message.get("date"),
    )
    if ids is None:
        return None
    update_id, chat_id, message_id, sender_id, _date = ids
    first_name, username = sender.get("first_name"), sender.get("username")
    language = sender.get("language_code")
    if not isinstance(first_name, str) or not _optional_str(username, language):
        return None
    if not all(isinstance(message.get(key, {}), dict) for key in NESTED_FIELDS):
        return None
    return OrdinaryMessage(
        update_id=update_id,
        chat_id=chat_id,
        message_id=message_id,
        sender_id=sender_id,
        first_name=first_name,
        username=username,
        language_code=language,
        text=text,
        entity_types=entities[0],
        hidden_links=entities[1],
        raw=raw,
    )


def _ints(*values: object) -> tuple[int, ...] | None:
    found = tuple(v for v in values if isinstance(v, int) and not isinstance(v, bool))
    return found if len(found) == len(values) else None


def _optional_str(*values: object) -> bool:
    return all(value is None or isinstance(value, str) for value in values)


def _entities(entities: object) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The entity types and hidden link addresses of the text; None when the entities are not
    plain (a command anywhere, an unreadable shape)."""
    if entities is None:
        return frozenset(), ()
    if not isinstance(entities, list):
        return None
    kinds: set[str] = set()
    hidden: list[str] = []
    for entity in entities:
        if not isinstance(entity, dict):
            return None
        kind = entity.get("type")
        if not isinstance(kind, str) or kind == "bot_command":
            return None
        if _ints(entity.get("offset"), entity.get("length")) is None:
            return None
        kinds.add(kind)
        url = entity.get("url")
        if kind == "text_link" and isinstance(url, str) and url:
            hidden.append(url)
    return frozenset(kinds), tuple(hidden)
