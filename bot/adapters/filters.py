"""Cheap filters for the per-message path of a group.

PTB's composed filters check every part through several method calls, and
``filters.StatusUpdate.ALL`` tries some forty kinds of service message one after another: on
each ordinary group message. These give the same answers with a few attribute reads, the
common case first (a message with text or a caption is never a service message).
"""

from __future__ import annotations

from telegram import Chat, Message, MessageEntity, Update
from telegram.ext import filters

GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})


def group_message(update: Update) -> Message | None:
    """The update's new or edited message, if it was written in a group."""
    message = update.message or update.edited_message
    if message is None or message.chat.type not in GROUP_TYPES:
        return None
    return message


class _GroupActivity(filters.UpdateFilter):
    """``ChatType.GROUPS & UpdateType.MESSAGES & ~StatusUpdate.ALL``: a person's own message
    (new or edited) in a group, not a service message (joined, pinned, title changed...)."""

    __slots__ = ()

    def filter(self, update: Update) -> bool:
        message = group_message(update)
        if message is None:
            return False
        if message.text is not None or message.caption is not None:
            return True
        return not filters.StatusUpdate.ALL.check_update(update)


GROUP_ACTIVITY = _GroupActivity(name="pamoja.GROUP_ACTIVITY")


def is_command(message: Message) -> bool:
    """``filters.COMMAND``: the message starts with a bot command."""
    entities = message.entities
    if not entities:
        return False
    first = entities[0]
    return first.type == MessageEntity.BOT_COMMAND and first.offset == 0


class _GroupMessages(filters.UpdateFilter):
    """``ChatType.GROUPS & UpdateType.MESSAGES``: any new or edited message in a group."""

    __slots__ = ()

    def filter(self, update: Update) -> bool:
        return group_message(update) is not None


class _GroupWords(filters.UpdateFilter):
    """``ChatType.GROUPS & (TEXT | CAPTION) & ~COMMAND & UpdateType.MESSAGES``: words a person
    wrote (or edited) in a group that are not a command."""

    __slots__ = ()

    def filter(self, update: Update) -> bool:
        message = group_message(update)
        if message is None or not (message.text or message.caption):
            return False
        return not is_command(message)


class _GroupConversation(filters.UpdateFilter):
    """``ChatType.GROUPS & UpdateType.MESSAGE & ~COMMAND``: a new group message, no command."""

    __slots__ = ()

    def filter(self, update: Update) -> bool:
        message = update.message
        if message is None or message.chat.type not in GROUP_TYPES:
            return False
        return not is_command(message)


GROUP_MESSAGES = _GroupMessages(name="pamoja.GROUP_MESSAGES")
GROUP_WORDS = _GroupWords(name="pamoja.GROUP_WORDS")
GROUP_CONVERSATION = _GroupConversation(name="pamoja.GROUP_CONVERSATION")
