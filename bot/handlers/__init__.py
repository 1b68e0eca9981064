"""The one ordered place where every handler is registered.

Handler groups form a pipeline (PTB runs at most one matching handler per group, groups in
order, and a handler may stop the rest by raising ``ApplicationHandlerStop``):

* ``TRACKING`` (-3): observers of the bot's and members' status; they never stop anything.
* ``BLOCKLIST`` (-2): people excluded for good are kept out before anything else runs.
* ``GATE`` (-1): the rules gate (newcomers who have not agreed yet) and other checks.
* ``COMMANDS`` (0): commands, conversations and buttons, then the private-chat fallbacks last.
* ``OBSERVERS`` (1): work on ordinary group messages (solicitation flagging) that must never
  block the above.
"""

from __future__ import annotations

from bot.commands import MenuEntry
from bot.context import App
from bot.errors import on_error
from bot.handlers import circle, groups, language, moderation, rules, start, talk

TRACKING = -3
BLOCKLIST = -2
GATE = -1
COMMANDS = 0
OBSERVERS = 1

FEATURES = (rules, moderation, circle, talk)


def register(app: App) -> None:
    app.add_handlers(groups.tracking(), group=TRACKING)
    app.add_handlers(moderation.gates(), group=BLOCKLIST)
    app.add_handlers(rules.gates(), group=GATE)
    app.add_handlers(
        [
            groups.conversation(),
            *circle.deep_links(),
            *talk.deep_links(),
            *start.handlers(),
            *groups.handlers(),
            *language.handlers(),
            *rules.handlers(),
            *moderation.handlers(),
            *circle.handlers(),
            *circle.drafts(),
            *talk.handlers(),
            *start.fallbacks(),
        ],
        group=COMMANDS,
    )
    app.add_handlers(
        [handler for feature in FEATURES for handler in feature.observers()], group=OBSERVERS
    )
    for feature in FEATURES:
        for kind, job in feature.jobs().items():
            app.bot_data.scheduler.register(kind, job)
    app.add_error_handler(on_error)


def menu() -> list[MenuEntry]:
    """Every command in the menus, in order: the foundation's, then each feature's."""
    return [*start.MENU, *groups.MENU, *language.MENU, *(e for f in FEATURES for e in f.MENU)]
