"""Wiring: ``build_application`` makes the real Application; start-up and shutdown hooks."""

from __future__ import annotations

import logging
from typing import cast

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot import retention
from bot.adapters.admins import AdminCache
from bot.adapters.menus import publish_commands, publish_descriptions
from bot.adapters.ratelimit import PamojaRateLimiter
from bot.context import CONTEXT_TYPES, App
from bot.crisis import CrisisLines
from bot.crypto import FieldCipher
from bot.delivery import outbox
from bot.delivery.tracking import SentTracker, TrackedRequest
from bot.handlers import router
from bot.i18n import Catalogues
from bot.moderation import screening
from bot.moderation.service import ModerationService
from bot.ops import wiring as ops
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.storage.store import Store
from bot.talk.policy import TalkPolicy
from bot.timeutil import Clock

log = logging.getLogger(__name__)

# Every update type Pamoja acts on. chat_member is not in Telegram's default set: ask for it.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
    Update.CHAT_JOIN_REQUEST,
    Update.MESSAGE_REACTION,  # members who were there before the bot become known as they react
    Update.POLL,
]


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
    limiter: PamojaRateLimiter | None = None,
    clock: Clock | None = None,
) -> App:
    """The production Application. Tests pass the emulator's transport as ``request``, and
    may turn the rate limiter off (``rate_limit=False``) or give their own (``limiter``)."""
    root = settings.bot_api_url
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.zone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    # Heartbeat and metrics: the transports are wrapped, the update processor (bot/updates:
    # concurrent across chats, in order within each chat and for each person) times updates.
    instrumented = ops.instrument(settings, request, get_updates_request)
    # The outbox learns which message ids exist in each chat from Telegram's answers.
    tracker = SentTracker()
    builder = (
        builder.request(TrackedRequest(instrumented.request, tracker))
        .get_updates_request(TrackedRequest(instrumented.get_updates_request, tracker))
        .concurrent_updates(instrumented.processor)
        # Polled by bot/polling.py (or served by bot/webhook.py), never by PTB's Updater: it
        # would read each answer of getUpdates whole, and stall on one update it cannot read.
        .updater(None)
    )
    if rate_limit:
        # Telegram's limits where Telegram has them: sends wait for the overall and the
        # group's budget, by priority; deletes, bans, edits and answers go through at once.
        builder = builder.rate_limiter(limiter or PamojaRateLimiter())
    app = cast(App, builder.build())
    data = app.bot_data
    data.settings = settings
    data.clock = clock or Clock()
    data.texts = Catalogues.load()
    data.admins = AdminCache(data.clock)
    data.scheduler = Scheduler()
    data.crisis = CrisisLines.load(settings.crisis_lines_path)
    data.moderation = ModerationService(data.clock)
    data.talk_policy = TalkPolicy.from_settings(settings)
    data.delivery = outbox.Delivery(tracker)
    router.register(app)
    data.scheduler.register(retention.KIND, retention.purge)
    data.scheduler.register(outbox.KIND, outbox.wake_job)
    data.scheduler.register(outbox.DELETE, outbox.delete_job)
    ops.attach(app, instrumented)
    return app


async def open_store(app: App) -> None:
    data = app.bot_data
    if data.has_store:
        return
    cipher = FieldCipher(data.settings.data_key.get_secret_value())
    data.store = await Store.open(data.settings.database_path, cipher, data.clock)


async def on_startup(app: App) -> None:
    """Open the store, re-arm timed work from it, publish the command menus."""
    await open_store(app)
    screening.warm_up()  # the first advert does not wait for the scorer to be built
    waiting = await outbox.start(app)
    log.info("start-up: %s chats have messages waiting in the outbox", waiting)
    rearmed = await app.bot_data.scheduler.rearm(app)
    log.info("start-up: %s timed actions re-armed", rearmed)
    await retention.ensure_scheduled(app)
    await router.catch_up(app)
    await publish_commands(app, router.menu())
    await publish_descriptions(app)
    await ops.start(app)


async def on_shutdown(app: App) -> None:
    await ops.stop(app)
    data = app.bot_data
    if data.has_store:
        await data.store.close()
        data.store = None
