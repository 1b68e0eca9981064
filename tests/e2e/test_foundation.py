"""The foundation end to end: the real Application, the real store, the emulator in-process."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
from telegram.error import Forbidden

from bot.app import build_application, on_shutdown, on_startup
from bot.context import App
from bot.records.scheduled import ScheduledAction
from emulator import EmulatorError, EmulatorRequest, GroupHandle
from tests.support import Harness


def setup_answer(harness: Harness, group: GroupHandle) -> str:
    """The bot's latest answer in the group (the full rules it pins at /setup and the team's
    reachability aside)."""
    return [said for said in harness.said(group) if not said.startswith(("📌", "Your team"))][-1]


async def test_start_in_private_explains_pamoja(harness: Harness) -> None:
    amina = harness.user("Amina")
    await harness.start(amina)
    welcome = harness.last(amina).text or ""
    assert "Amina" in welcome
    assert "/rules" in welcome and "/privacy" in welcome
    person = await harness.app.bot_data.store.users.get(amina.id)
    assert person is not None and person.reachable


async def test_start_follows_telegram_language(harness: Harness) -> None:
    baraka = harness.user("Baraka", language="sw")
    await harness.start(baraka)
    assert "karibu Pamoja" in (harness.last(baraka).text or "")


async def test_language_choice_changes_answers(harness: Harness) -> None:
    amina = harness.user("Amina")
    await harness.start(amina)
    await harness.private(amina, "/language")
    await harness.tap(amina, amina, "Kiswahili")
    assert "Kiswahili" in (harness.last(amina).text or "")
    await harness.private(amina, "/help")
    assert "Unachoweza kufanya" in (harness.last(amina).text or "")


async def test_forged_language_button_changes_nothing(harness: Harness) -> None:
    amina = harness.user("Amina")
    await harness.start(amina)
    await harness.private(amina, "/language")
    message = harness.last(amina)
    await harness.press(amina, amina, message.message_id, "language:personal:xx", forge=True)
    person = await harness.app.bot_data.store.users.get(amina.id)
    assert person is not None and person.language is None
    answers = harness.emu.calls_to("answerCallbackQuery")
    assert "no longer active" in str(answers[-1].params.get("text"))


async def test_unknown_command_and_plain_text_get_kind_answers(harness: Harness) -> None:
    amina = harness.user("Amina")
    await harness.start(amina)
    await harness.private(amina, "/frobnicate")
    assert "don't know that command" in (harness.last(amina).text or "")
    await harness.private(amina, "hello?")
    assert "/help" in (harness.last(amina).text or "")


async def test_bot_added_to_group_says_hello_and_records_it(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    group = await harness.group("Peer Group", owner=owner, setup=False)
    assert "/setup" in harness.said(group)[0]
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and record.active and not record.registered


async def test_setup_by_non_admin_is_refused_and_changes_nothing(harness: Harness) -> None:
    owner, juma = harness.user("Wanjiru"), harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, members=[juma], setup=False)
    await harness.say(group, juma, "/setup")
    assert "Only the group's administrators" in setup_answer(harness, group)
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and not record.registered


async def test_setup_with_all_rights_says_ready(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    group = await harness.group("Peer Group", owner=owner)
    assert "ready" in setup_answer(harness, group)
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and record.registered and record.rights.missing == ()
    entries = await harness.app.bot_data.store.audit.recent(group.id)
    assert [e.action for e in entries] == ["group.setup", "bot.added"]


async def test_setup_names_each_missing_right_and_why(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    rights = {"can_restrict_members": False, "can_invite_users": False}
    group = await harness.group("Peer Group", owner=owner, rights=rights)
    answer = setup_answer(harness, group)
    assert "Ban users" in answer and "Invite users via link" in answer
    assert "Delete messages" not in answer
    harness.emu.set_bot_rights(group, can_restrict_members=True, can_invite_users=True)
    await harness.settle()
    await harness.say(group, owner, "/setup")
    assert "ready" in setup_answer(harness, group)


async def test_setup_in_private_points_to_the_group(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    await harness.start(owner)
    await harness.private(owner, "/setup")
    assert "inside your group" in (harness.last(owner).text or "")


async def test_anonymous_admin_can_run_setup(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    group = await harness.group("Peer Group", owner=owner, setup=False)
    await harness.say(group, owner, "/setup", anonymous_admin=True)
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and record.registered


async def test_bot_removed_marks_group_inactive(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    group = await harness.group("Peer Group", owner=owner)
    harness.emu.remove_bot_from_group(group, by=owner)
    await harness.settle()
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and not record.active


async def test_group_language_set_by_admin_only(harness: Harness) -> None:
    owner, juma = harness.user("Wanjiru"), harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, members=[juma])
    await harness.say(group, owner, "/language")
    menu = harness.last(group)
    with pytest.raises(EmulatorError):  # no such button: a real client cannot press it
        harness.emu.press(juma, group, menu.message_id, "language:group:zz")
    await harness.press(juma, group, menu.message_id, "language:group:sw")
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and record.language == "en"
    await harness.press(owner, group, menu.message_id, "language:group:sw")
    record = await harness.app.bot_data.store.groups.get(group.id)
    assert record is not None and record.language == "sw"
    await harness.say(group, juma, "/help")
    assert "Ninasaidia kikundi hiki" in setup_answer(harness, group)


async def test_blocking_the_bot_is_remembered(harness: Harness) -> None:
    amina = harness.user("Amina")
    await harness.start(amina)
    await harness.block(amina)
    person = await harness.app.bot_data.store.users.get(amina.id)
    assert person is not None and not person.reachable
    with pytest.raises(Forbidden):
        await harness.app.bot.send_message(amina.id, "x")


async def test_command_menus_published_per_scope_and_language(harness: Harness) -> None:
    private = [c["command"] for c in harness.emu.commands({"type": "all_private_chats"})]
    admins = [c["command"] for c in harness.emu.commands({"type": "all_chat_administrators"})]
    assert "start" in private and "setup" not in private
    assert "setup" in admins
    swahili = harness.emu.commands({"type": "all_private_chats"}, language_code="sw")
    assert any(c["description"] == "Anza hapa" for c in swahili)


async def test_timed_work_survives_a_restart_and_runs_once(harness: Harness) -> None:
    done: list[int] = []

    async def remember(app: App, action: ScheduledAction) -> None:
        done.append(action.id)

    def register(app: App) -> None:
        app.bot_data.scheduler.register("test.remember", remember)

    harness.on_build.append(register)
    await harness.restart()
    due = harness.clock.epoch() + 3600
    action = await harness.app.bot_data.scheduler.schedule(harness.app, "test.remember", due)
    names = [job.name for job in harness.app.job_queue.jobs()]
    assert f"test.remember:{action.id}" in names
    await harness.restart(downtime=7 * 24 * 3600)
    assert done == [action.id]
    await harness.advance(7 * 24 * 3600)
    await harness.restart()
    assert done == [action.id]


async def test_flood_limit_is_waited_out_and_retried(harness: Harness) -> None:
    """With the production rate limiter, a 429 pauses and the message still arrives."""
    amina = harness.user("Amina")
    harness.emu.start_bot(amina)
    harness.emu.take_updates()
    app = build_application(
        harness.settings, request=EmulatorRequest(harness.emu), clock=harness.clock
    )
    await app.initialize()
    await on_startup(app)
    try:
        harness.emu.fail_next(
            "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
        )
        await app.bot.send_message(amina.id, "hello")
    finally:
        await on_shutdown(app)
        await app.shutdown()
    sends = harness.emu.calls_to("sendMessage")
    assert [call.ok for call in sends[-2:]] == [False, True]


async def test_unexpected_telegram_error_is_logged_without_text(harness: Harness) -> None:
    amina = harness.user("Amina")
    harness.emu.fail_next("sendMessage", 400, "Bad Request: message is too long")
    await harness.start(amina)
    logged = [record.getMessage() for record in harness.errors]
    assert len(logged) == 1 and "failed: BadRequest" in logged[0]
    assert "Amina" not in logged[0] and "/start" not in logged[0]
    assert "try again" in (harness.last(amina).text or "")  # a kind answer, in private only
    harness.errors.clear()


async def test_retention_purge_runs_daily_and_deletes_old_records(harness: Harness) -> None:
    store = harness.app.bot_data.store
    old = await store.scheduled.add("test.old", harness.clock.epoch())
    await store.scheduled.finish(old.id)
    pending = await store.scheduled.pending("retention.purge")
    assert len(pending) == 1
    await harness.advance(91 * 24 * 3600)
    rows = await store.db.fetch_all("SELECT id FROM scheduled_actions WHERE id = ?", (old.id,))
    assert rows == []
    assert len(await store.scheduled.pending("retention.purge")) == 1  # planned again, once


async def test_admin_check_falls_back_to_one_member_when_the_list_is_refused(
    harness: Harness,
) -> None:
    owner = harness.user("Wanjiru")
    group = await harness.group("Peer Group", owner=owner, setup=False)
    harness.emu.fail_next("getChatAdministrators", 400, "Bad Request: CHAT_ADMIN_REQUIRED")
    await harness.say(group, owner, "/setup")
    assert "ready" in setup_answer(harness, group)
    assert harness.emu.calls_to("getChatMember")


async def test_help_in_group_gives_admins_their_commands_privately(harness: Harness) -> None:
    owner, juma = harness.user("Wanjiru"), harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, members=[juma])
    await harness.start(owner)
    await harness.start(juma)
    await harness.say(group, juma, "/help")
    assert "/report" in setup_answer(harness, group)
    assert "For administrators" not in " ".join(harness.said(juma))
    await harness.say(group, owner, "/help")
    assert "For administrators" in harness.said(owner)[-1]
    assert "For administrators" not in " ".join(harness.said(group))


_LEAK: contextvars.ContextVar[str] = contextvars.ContextVar("test_leak", default="clean")


async def test_timed_work_never_runs_in_the_context_of_the_update_that_armed_it(
    harness: Harness,
) -> None:
    """APScheduler starts jobs in the context of whoever woke it last: an update's context
    variables (the outbox's "this message is being delivered now") must not reach them."""
    seen: list[str] = []

    async def remember(_app: App, _action: ScheduledAction) -> None:
        seen.append(_LEAK.get())

    def register(app: App) -> None:
        app.bot_data.scheduler.register("test.context", remember)

    harness.on_build.append(register)
    await harness.restart()
    app = harness.app
    assert app.job_queue is not None
    await app.job_queue.start()
    try:
        token = _LEAK.set("an update's")
        try:
            await app.bot_data.scheduler.schedule(app, "test.context", harness.clock.epoch())
        finally:
            _LEAK.reset(token)
        async with asyncio.timeout(10):
            while not seen:  # noqa: ASYNC110 - the JobQueue runs it beside
                await asyncio.sleep(0.02)
    finally:
        await app.job_queue.stop()
    assert seen == ["clean"]
