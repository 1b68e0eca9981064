"""Telling a group's admins, for every part of moderation: through the one shared
``tell_admins`` (the linked team chat, else each admin privately in their own language), keeping
the copies of a report, flag or appeal so they can be edited once someone has handled it."""

from __future__ import annotations

from bot.adapters import admins
from bot.adapters.admins import Compose, Delivered
from bot.context import App
from bot.records.groups import Group


async def tell_admins(
    app: App,
    group: Group,
    compose: Compose,
    *,
    item: str | None = None,
    item_id: int | None = None,
    team_chat: bool = True,
    hold: bool = True,
    about: tuple[str, int] | None = None,
    exclude: frozenset[int] = frozenset(),
) -> list[Delivered]:
    """Send to the group's admins; ``team_chat=False`` writes to each one privately only.
    A notice nobody could receive is kept and delivered once someone can be (``hold``)."""
    return await admins.tell_admins(
        app,
        group.chat_id,
        compose,
        team_chat_id=group.admin_chat_id if team_chat else None,
        team_language=group.language,
        hold=hold,
        team_allowed=team_chat,
        about=about,
        copies=(item, item_id) if item is not None and item_id is not None else None,
        exclude=exclude,
    )


def text_only(app: App, key: str, **values: object) -> Compose:
    """A notice without buttons: one catalogue text, in each reader's language."""
    return lambda lang: (app.bot_data.texts.t(lang, key, **values), None)
