"""The one ordered place where every handler is registered.

Handler groups form a pipeline (PTB runs one matching handler per group, groups in order):

* ``TRACKING`` (-2): observers of the bot's and members' status; never stop anything.
* ``GATE`` (-1): checks that may stop an update (for example a member who has not agreed to
  the rules); they raise ``ApplicationHandlerStop``.
* ``COMMANDS`` (0): commands, conversations and buttons, then the private-chat fallbacks last.
* ``OBSERVERS`` (1): work on ordinary group messages that must never block the above.
"""

from __future__ import annotations

from bot.context import App
from bot.errors import on_error
from bot.handlers import groups, language, start

TRACKING = -2
GATE = -1
COMMANDS = 0
OBSERVERS = 1


def register(app: App) -> None:
    app.add_handlers(groups.tracking(), group=TRACKING)
    app.add_handlers(
        [
            *start.handlers(),
            *groups.handlers(),
            *language.handlers(),
            *start.fallbacks(),
        ],
        group=COMMANDS,
    )
    app.add_error_handler(on_error)
