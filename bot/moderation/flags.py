"""Solicitation flags: an ordinary group message that looks like someone selling services is
held up to the admins, who decide (the bot never removes anyone by itself). And /flagging.

Only a flagged message touches the database or the network: everything before is in memory
(the group's setting, cached; one reading of the message shared by the repeated-contact tracker,
the pre-check, the model and the rules; this deployment's learned adjustment).

The admins teach the scorer: each answer to a flag (exclude as solicitor or warn: selling; "it's
fine": not selling) and each ``/solicitor`` by reply is one learning step over the hashed
features of that one message (:mod:`bot.moderation.teaching`). A flag carries those features,
never the text, in its row until it is answered. ``/flagging reset`` forgets all of it.
"""

from __future__ import annotations

from bot.adapters.guards import Actor
from bot.context import App
from bot.moderation import audit, policy, reports
from bot.moderation.features import MessageSignals, Vector, read
from bot.moderation.learning import encode_vector
from bot.moderation.notices import tell_admins
from bot.moderation.screening import screen
from bot.records.groups import Group


async def observe(
    app: App,
    chat_id: int,
    sender_id: int,
    sender_name: str,
    message_id: int,
    text: str,
    signals: MessageSignals | None = None,
) -> None:
    """Score an ordinary group message; flag it to the admins if it looks like selling.
    ``signals``: what Telegram parsed about it (entities, caption, forward, buttons)."""
    data = app.bot_data
    if not await data.moderation.flagging_on(data.store.groups, chat_id):
        return
    reading = read(text, signals)
    repeated = data.moderation.tracker.observe_contacts(
        chat_id, sender_id, reading.contacts, message_id=message_id
    )
    learned = await data.moderation.learned(data.store.learning)
    verdict = screen(reading, repeated_contact=repeated.repeated, learned=learned)
    if not verdict.flagged:
        return
    group = await data.store.groups.get(chat_id)
    if group is None:
        return
    if await data.admins.is_admin(app.bot, group.chat_id, sender_id):
        return
    await hold_up(
        app, group, sender_id, sender_name, message_id, verdict.reasons, features=verdict.vector
    )


async def hold_up(
    app: App,
    group: Group,
    sender_id: int,
    sender_name: str,
    message_id: int,
    reasons: tuple[str, ...],
    *,
    features: Vector = (),
) -> None:
    """Hold a flagged message up to the admins, once per sender while a flag is open.
    ``features``: the message's hashed features, kept in the flag's row until it is answered."""
    repo = app.bot_data.store.moderation
    since = app.bot_data.clock.epoch() - policy.FLAG_QUIET_SECONDS
    if await repo.has_open_flag(group.chat_id, sender_id, since):
        return  # the admins already have an open flag about this sender
    found, created = await repo.open_report(
        group.chat_id, message_id, sender_id, "flag", features=encode_vector(features) or None
    )
    if not created:
        return
    await audit.record(
        app,
        "mod.flag",
        group=group,
        actor=None,
        target_id=sender_id,
        detail=",".join(reasons),
    )
    compose = reports.notice(app, group, found, sender_name, None)
    await tell_admins(app, group, compose, item="report", item_id=found.id)


async def set_flagging(app: App, group: Group, actor: Actor, value: bool) -> None:
    """Turn solicitation flagging on or off for the group."""
    data = app.bot_data
    await data.store.groups.update_setting(group.chat_id, "flagging", int(value))
    data.moderation.set_flagging(group.chat_id, value)
    await audit.record(
        app,
        "mod.flagging_set",
        group=group,
        actor=actor,
        target_id=None,
        detail="on" if value else "off",
    )
