"""Appeals: a warned, muted or excluded member writes privately to the group's admins.

The appeal goes to each admin privately (never to the team chat: it is the member's own
words); its text is relayed, not stored. It goes to the administrators other than the one who
took the measure (marked as such), and to that one only when nobody else can be reached; the
one who acted is told the outcome. Admins answer through the bot (/answer), or lift or
keep the measure with one tap; the appeal and its outcome are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.adapters.admins import Compose
from bot.adapters.guards import Actor
from bot.adapters.replies import edit_quietly
from bot.context import App
from bot.delivery import outbox
from bot.errors import AdminsOnlyError, RefusedError, StaleButtonError
from bot.moderation import audit, callbacks, measures, policy, support
from bot.moderation.notices import tell_admins
from bot.moderation.texts import member_name, mention
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Appeal

MAX_APPEAL_CHARS = 2000


@dataclass(frozen=True)
class Case:
    """What a member would appeal: a measure in a group, and the administrator who took it."""

    chat_id: int
    measure: str
    actor_id: int | None = None


async def case_of(app: App, user_id: int) -> Case | None:
    """The group and measure the member would appeal: an active one first, else the latest."""
    data = app.bot_data
    repo = data.store.moderation
    since = data.clock.epoch() - policy.APPEAL_HORIZON
    sanctions = await repo.recent_sanctions(user_id, since)
    active = [s for s in sanctions if s.status == "active"]
    if active:
        return Case(active[0].chat_id, active[0].kind, active[0].actor_id)
    warned = await repo.recently_warned_groups(user_id, since)
    if sanctions and (not warned or sanctions[0].chat_id == warned[0]):
        return Case(sanctions[0].chat_id, sanctions[0].kind, sanctions[0].actor_id)
    if warned:
        return Case(warned[0], "warn", await repo.last_warning_actor(warned[0], user_id))
    return None


async def file(app: App, user_id: int, first_name: str, words: str) -> bool:
    """Send a member's appeal to the admins; False if no admin could be reached.

    Refuses (with the answer's key) when there is nothing to appeal, no words, or too many."""
    data = app.bot_data
    words = words.strip()[:MAX_APPEAL_CHARS]
    case = await case_of(app, user_id)
    if case is None:
        raise RefusedError("moderation.appeal_nothing")
    if not words:
        raise RefusedError("moderation.appeal_how")
    repo = data.store.moderation
    now = data.clock.epoch()
    if await repo.appeals_since(user_id, now - policy.APPEAL_WINDOW) >= policy.APPEAL_LIMIT:
        raise RefusedError("moderation.appeal_too_many")
    group = await data.store.groups.get(case.chat_id)
    if group is None:
        raise RefusedError("moderation.appeal_nothing")
    made = await repo.add_appeal(case.chat_id, user_id, case.actor_id, case.measure)
    await audit.record(
        app,
        "mod.appeal",
        group=group,
        actor=Actor(user_id=user_id),
        target_id=user_id,
        detail=case.measure,
    )
    actor_name = (
        await member_name(app.bot, group.chat_id, case.actor_id, "")
        if case.actor_id is not None
        else ""
    )

    def compose_for(mark: str | None) -> Compose:
        def compose(lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
            text: str = data.texts.t(
                lang,
                "moderation.appeal_admins",
                member=mention(user_id, first_name),
                measure=data.texts.t(lang, f"moderation.measure_{case.measure}"),
                group=group.title,
                words=words,
                id=made.id,
            )
            if mark is not None:
                text = data.texts.t(lang, mark, admin=actor_name or "—") + "\n\n" + text
            return text, callbacks.appeal_keyboard(data, lang, made.id)

        return compose

    # To the administrators other than the one who acted, marked as such; to them only when
    # nobody else can be reached (marked too). Never to the team chat: it is the member's words.
    if case.actor_id is not None:
        delivered = await tell_admins(
            app,
            group,
            compose_for("moderation.appeal_not_theirs"),
            item="appeal",
            item_id=made.id,
            team_chat=False,
            hold=False,
            exclude=frozenset({case.actor_id}),
        )
        if delivered:
            await repo.mark_appeal_routed(made.id)
            return True
    delivered = await tell_admins(
        app,
        group,
        compose_for("moderation.appeal_theirs" if case.actor_id is not None else None),
        item="appeal",
        item_id=made.id,
        team_chat=False,
        hold=False,
    )
    if delivered:
        return True
    if group.admin_chat_id is not None:
        await outbox.send_critical(
            app,
            group.admin_chat_id,
            data.texts.t(group.language, "moderation.appeal_waiting_team"),
            kind="notice",
        )
    return False


async def for_admin(
    app: App, appeal_id: int, user_id: int, *, fresh: bool = False
) -> tuple[Appeal, Group]:
    """The appeal and its group, for one of that group's admins only — and not the one who
    took the measure, when the appeal went to others."""
    data = app.bot_data
    found = await data.store.moderation.appeal(appeal_id)
    group = await data.store.groups.get(found.chat_id) if found else None
    if found is None or group is None:
        raise StaleButtonError
    if not await data.admins.is_admin(app.bot, group.chat_id, user_id, fresh=fresh):
        raise AdminsOnlyError
    if found.routed and found.actor_id == user_id:
        raise RefusedError("moderation.appeal_for_others")
    return found, group


async def answer(app: App, appeal_id: int, admin_id: int, words: str) -> bool:
    """An admin's answer relayed to the member; False if the member cannot be reached."""
    data = app.bot_data
    found, group = await for_admin(app, appeal_id, admin_id)
    lang = await language_of(data, found.user_id)
    text = data.texts.t(
        lang, "moderation.appeal_answer", group=group.title, words=words[:MAX_APPEAL_CHARS]
    )
    if await outbox.send_critical(app, found.user_id, text, kind="notice") == outbox.FAILED:
        return False
    await audit.record(
        app,
        "mod.appeal_answer",
        group=group,
        actor=Actor(user_id=admin_id),
        target_id=found.user_id,
    )
    return True


async def decide(app: App, appeal_id: int, decision: str, admin_id: int, admin_name: str) -> None:
    """An admin lifts or keeps the appealed measure; the first decision counts."""
    data = app.bot_data
    found, group = await for_admin(app, appeal_id, admin_id, fresh=True)
    lift = decision == "lift"
    actor = Actor(user_id=admin_id)
    repo = data.store.moderation
    if not await repo.decide_appeal(found.id, "lifted" if lift else "kept", actor.user_id):
        raise RefusedError("moderation.report_already_handled")
    if lift:
        excluded = await repo.active_sanction(group.chat_id, found.user_id, "exclude")
        muted = await repo.active_sanction(group.chat_id, found.user_id, "mute")
        if excluded is not None:
            await support.readmit(app, excluded, actor)
        if muted is not None:
            await measures.unmute(app, group, actor, found.user_id)
    await audit.record(
        app,
        "mod.appeal_lifted" if lift else "mod.appeal_kept",
        group=group,
        actor=actor,
        target_id=found.user_id,
    )
    member_lang = await language_of(data, found.user_id)
    key = "moderation.appeal_lifted" if lift else "moderation.appeal_kept"
    await outbox.send_critical(
        app, found.user_id, data.texts.t(member_lang, key, group=group.title), kind="notice"
    )
    handled = data.texts.t(
        group.language,
        "moderation.appeal_handled",
        admin=admin_name,
        outcome=data.texts.t(group.language, f"moderation.outcome_appeal_{decision}"),
    )
    for copy in await repo.copies("appeal", found.id):
        await edit_quietly(app, copy.chat_id, copy.message_id, handled)
    if found.actor_id is not None and found.actor_id != admin_id:
        # The administrator who took the measure sees how the appeal against it ended.
        actor_lang = await language_of(data, found.actor_id)
        name = await member_name(app.bot, group.chat_id, found.user_id, str(found.user_id))
        note = data.texts.t(
            actor_lang,
            "moderation.appeal_outcome_for_actor",
            measure=data.texts.t(actor_lang, f"moderation.measure_{found.measure or 'warn'}"),
            member=mention(found.user_id, name),
            group=group.title,
            admin=admin_name,
            outcome=data.texts.t(actor_lang, f"moderation.outcome_appeal_{decision}"),
        )
        await outbox.send_critical(app, found.actor_id, note, kind="notice")
