"""Shared Telegram adapters, no feature logic.

* ``replies``: answering an update, writing privately, deleting and editing quietly.
* ``guards``: who is acting (a person, an anonymous administrator) and whether they may.
* ``callbacks``: the one ``feature:verb:args`` button format, its parser and dispatcher.
* ``keyboards``: buttons, keyboards, a link to the private chat, a person's mention.
* ``admins``: Telegram's live administrator list (cached) and ``tell_admins``.
* ``presence``: whether a chat member is in the chat now.
* ``menus``: the command menus Telegram shows.
* ``tracking``: the handler that records, once per update, that a person wrote privately.
"""
