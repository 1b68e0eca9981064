"""The one outbox: every message that matters is written first, then delivered by one worker.

**Written with what causes it.** ``enqueue`` only writes a row (``circle_outbox``, the text
encrypted), so a caller puts it inside the same ``store.db.transaction()`` as the state change
that causes it: both are saved, or neither. After the commit the caller asks for delivery
(``flush``), and ``send_critical`` does both for a caller with no transaction of its own. A
wake-up (a scheduled action ``delivery.outbox`` per chat) is written with the row, so a message
whose sender died before asking for delivery is still sent, at start-up at the latest.

**One worker, order kept.** Only the oldest waiting message of a chat may be taken (the claim
checks this in one statement), so one recipient's messages leave one at a time and in the order
they were written — relayed ``/talk`` messages arrive in order — while other chats go on.

**Retried, never twice.** A 429 waits Telegram's ``retry_after``; a 5xx, a timeout or a dropped
connection waits a back-off (2 s, 4 s, 8 s... at most ten minutes). Each row is settled once
with the Telegram message id of its one copy (the idempotency record). An attempt whose answer
never came (timeout, dropped connection, stop mid-send) leaves the row *in doubt*: before sending
it again the worker looks for the copy Telegram may have accepted. It edits each message id the
bot knows nothing about after the last one it knew when the attempt began, with exactly the
message's own text and buttons: Telegram answers "message is not modified" only for a message
that already reads exactly so — that is our copy, and nothing was changed. Messages of the
person are refused ("can't be edited") and skipped. The check is made only when it cannot
touch another message of the bot: while no other send to that chat is in flight or lost
(``bot/delivery/tracking.py`` knows every id the bot was told).

**The residual case** (documented, not hidden): when that check cannot be made safely — the
bot restarted since the attempt (it no longer knows which ids are its other messages), another
send to that chat also lost its answer, or the message is a copied photo or file (no text to
compare) — the message is sent again and may arrive twice. So may one that Telegram accepted
although it answered with a 5xx (a 5xx is taken as "not accepted").

**Given up only when it can never succeed**: the person blocked the bot or never started it
(403), the chat does not exist or the message is refused as it is (400), or Telegram kept
failing for two days. Then ``fail_chat`` (the person who is waiting for it to arrive) is told.

**Edits** of the bot's messages go through the same queue (``edit_of``): after the messages
written before them, retried the same way; one made twice is simply made again ("not modified"
is success then). **Removals** are not queued (nothing waits for them): one Telegram refuses
for now is retried later as timed work (``delete``).

**Lanes**: each message goes in the rate limiter's lane of its kind (``lane_for``): help texts,
the "I need support now" picker, consent, ``/talk`` and exclusion messages ``critical``;
moderation notices and ordinary answers ``notice``; welcomes, reminders and check-ins ``bulk``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

from telegram import InlineKeyboardMarkup, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.adapters.ratelimit import PamojaRateLimiter, Priority, room_now, send_priority
from bot.delivery.tracking import SentTracker, outbox_attempt
from bot.effects import handling_update
from bot.records.outbox import Outgoing

if TYPE_CHECKING:
    from bot.context import App
    from bot.records.scheduled import ScheduledAction

log = logging.getLogger(__name__)

Row = Sequence[tuple[str, str]]
FEATURE = "delivery"
KIND = f"{FEATURE}.outbox"
"""The worker's wake-up for one chat (a scheduled action, one pending per chat)."""
_CIRCLE = "circle"
LEGACY_KIND = f"{_CIRCLE}.outbox"
"""Retries written by the outbox's first version (payload ``{"id": row}``)."""

Result = Literal["sent", "queued", "failed"]
SENT: Final = "sent"
QUEUED: Final = "queued"
FAILED: Final = "failed"

WAKE_AFTER = 10
"""A row's safety wake-up: if nobody asked for its delivery by then, the worker does."""
LEASE_SECONDS = 600
"""A row left 'sending' longer than this by no attempt of this process is taken up again (in
doubt). At start-up every such row is (``start``)."""
FIRST_BACKOFF = 2
MAX_BACKOFF = 600
GIVE_UP_AFTER = 2 * 86400
# A newcomer is held back until their welcome arrives: after a while another way in is better
# (the welcome privately, with their own "I agree", or the gate lifted): see bot/rules/gate.py.
GIVE_UP_AFTER_BY_KIND = {"rules_welcome": 20 * 60}
PROBE_SPAN = 12
MAX_PER_FLUSH = 100
_NOW: contextvars.ContextVar[int | None] = contextvars.ContextVar("outbox_now", default=None)
_TOGETHER: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "pamoja_outbox_together", default=None
)
# The update being handled by a task, and how many messages of each kind it wrote to each chat.
_CAUSE: contextvars.ContextVar[tuple[asyncio.Task[Any] | None, int, Counter[str]] | None] = (
    contextvars.ContextVar("pamoja_outbox_cause", default=None)
)

# Message kinds are plain words (not catalogue keys); every kind the bot sends is in one lane
# (tests/delivery/test_lanes.py checks each kind written anywhere is declared here).
_PEERS, _SESSIONS, _KINDWORDS = "peers", "sessions", "kindwords"
CRITICAL_KINDS = frozenset(
    {
        "help_text",  # a help text (someone's disclosure reaching a support person)
        "support_now",  # "I need support now": the picker, or the crisis lines
        "summary",  # what was sent, to the member who asked for support
        "admin_card",  # a member's request for support, to the admins
        "disclosure_notice",
        "consent_question",
        "consent_answer",
        "talk",  # /talk: requests, answers, the conversation's own messages
        "relay",  # a relayed /talk message
        "talk_offer",
        "talk_team_offer",
        "exclusion_support",  # the removed member's own private message
        "failure_notice",  # "your message could not be delivered"
    }
)
NOTICE_KINDS = frozenset(
    {
        "notice",
        "answer",
        "brief",
        "admin_notice",
        "audit_mirror",
        "warning",
        "mute_notice",
        "unmute_notice",
        "talk_notice",
        "edit",
        "buddy",  # buddy proposals, answers and endings (never urgent)
        f"{_KINDWORDS}.consent",  # the member is asked about kind words (no hurry)
        f"{_KINDWORDS}.opened",
        f"{_KINDWORDS}.not_this_time",
        f"{_KINDWORDS}.ended",
        f"{_KINDWORDS}.notice",
        f"{_KINDWORDS}.message",  # a kind message relayed to the member
    }
)
BULK_KINDS = frozenset(
    {
        "rules_welcome",
        "rules_rejoin",  # back after the rules changed: asked to agree to the new version
        "welcome_private",
        "welcome_back",
        "reminder",
        "checkin",
        f"{_PEERS}.checkin",
        f"{_PEERS}.listener_check",
        f"{_SESSIONS}.reminder",
        f"{_KINDWORDS}.post",  # the invitation in the group
        f"{_KINDWORDS}.post_ended",
    }
)


def lane_for(kind: str) -> Priority:
    """The rate limiter's lane a message of this kind travels in (an undeclared kind is
    critical: better early than buried)."""
    if kind in BULK_KINDS:
        return "bulk"
    if kind in NOTICE_KINDS:
        return "notice"
    return "critical"


OnSent = Callable[["App", Outgoing, int], Awaitable[None]]
"""After a message of a kind was delivered: ``(app, message, Telegram's message id)``."""
OnGivenUp = Callable[["App", Outgoing, str], Awaitable[None]]
"""After a message of a kind was given up on: ``(app, message, reason)`` — ``forbidden``,
``chat_not_found``, ``no_rights``, ``bad_request`` or ``expired``."""


class Delivery:
    """The outbox's in-memory half (on ``bot_data.delivery``): what the transport has seen,
    what each feature does once a message of its kinds arrived or was given up on, and the
    texts of copied messages (kept in memory only, to recognise a copy after a timeout)."""

    def __init__(self, tracker: SentTracker | None = None) -> None:
        self.tracker = tracker or SentTracker()
        self.on_sent: dict[str, OnSent] = {}
        self.on_given_up: dict[str, OnGivenUp] = {}
        self.copied_text: dict[int, str] = {}
        self.attempting: set[int] = set()
        """Rows an attempt in this process holds now (never taken over, however long)."""

    def when_sent(self, kind: str, hook: OnSent) -> None:
        if kind in self.on_sent:
            raise ValueError(f"a delivery hook for {kind!r} is already registered")
        self.on_sent[kind] = hook

    def when_given_up(self, kind: str, hook: OnGivenUp) -> None:
        if kind in self.on_given_up:
            raise ValueError(f"an undeliverable hook for {kind!r} is already registered")
        self.on_given_up[kind] = hook


# -- writing -------------------------------------------------------------------------------------


def stored_markup(
    buttons: Sequence[Row] | None = None, reply_markup: InlineKeyboardMarkup | None = None
) -> dict[str, Any] | None:
    """Buttons in the outbox's stored form (Telegram's own keyboard layout)."""
    if reply_markup is not None:
        return reply_markup.to_dict()
    if not buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in buttons
        ]
    }


async def enqueue(
    app: App,
    chat_id: int,
    text: str,
    *,
    kind: str,
    buttons: Sequence[Row] | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
    member_id: int | None = None,
    fail_chat: int | None = None,
    fail_text: str | None = None,
    lane: Priority | None = None,
    copy_from: tuple[int, int] | None = None,
    ref: int | None = None,
    reply_to: int | None = None,
    copied_text: str | None = None,
    edit_of: int | None = None,
    disclosures: list[int] | None = None,
) -> int:
    """Write a message to the outbox (inside the caller's transaction, if any); its id.

    Nothing is sent here: call ``flush`` (or ``deliver_now``) after the transaction commits.
    ``copy_from=(chat, message)`` copies that message (a relayed text, a photo) instead;
    ``copied_text`` is its text as HTML, kept in memory only (never written), so that a copy
    whose answer was lost can be recognised.
    """
    data = app.bot_data
    row, new = await data.store.outbox.add(
        chat_id,
        text,
        kind=kind,
        lane=lane or lane_for(kind),
        markup=stored_markup(buttons, reply_markup),
        member_id=member_id,
        fail_chat=fail_chat,
        fail_body=fail_text,
        copy_chat=copy_from[0] if copy_from else None,
        copy_message=copy_from[1] if copy_from else None,
        ref=ref,
        reply_to=reply_to,
        edit_of=edit_of,
        disclosures=disclosures,
        cause=_cause(chat_id, kind),
    )
    if not new:
        return row  # written when this update was handled before a kill: not again
    if copied_text:
        data.delivery.copied_text[row] = copied_text
    await _wake(app, chat_id, data.clock.epoch() + WAKE_AFTER)
    pending = _TOGETHER.get()
    if pending is not None:
        pending.add(chat_id)
    return row


async def send_critical(
    app: App,
    chat_id: int,
    text: str,
    *,
    kind: str,
    buttons: Sequence[Row] | None = None,
    member_id: int | None = None,
    fail_chat: int | None = None,
    fail_text: str | None = None,
    lane: Priority | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
    copy_from: tuple[int, int] | None = None,
    ref: int | None = None,
    reply_to: int | None = None,
    edit_of: int | None = None,
    disclosures: list[int] | None = None,
) -> Result:
    """Write, then deliver. ``sent``, ``queued`` (it will be retried) or ``failed`` (it can
    never be delivered: ``fail_chat`` has been told).

    Inside ``together`` it is only written (``queued``) and delivered after the commit.
    ``disclosures``: the disclosure records the message carries (``seen`` once delivered).
    """
    row = await enqueue(
        app,
        chat_id,
        text,
        kind=kind,
        buttons=buttons,
        reply_markup=reply_markup,
        member_id=member_id,
        fail_chat=fail_chat,
        fail_text=fail_text,
        lane=lane,
        copy_from=copy_from,
        ref=ref,
        reply_to=reply_to,
        edit_of=edit_of,
        disclosures=disclosures,
    )
    if _TOGETHER.get() is not None:
        return QUEUED  # delivered once the state change it belongs to is saved
    return await deliver_now(app, row)


async def send_tracked(
    app: App,
    chat_id: int,
    text: str,
    *,
    kind: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    lane: Priority | None = None,
) -> tuple[Result, int | None]:
    """``send_critical`` that also gives Telegram's message id once it is delivered (for a
    notice that is edited later, e.g. when someone has handled a report)."""
    row = await enqueue(app, chat_id, text, kind=kind, reply_markup=reply_markup, lane=lane)
    if _TOGETHER.get() is not None:
        return QUEUED, None
    result = await deliver_now(app, row)
    message = await app.bot_data.store.outbox.get(row)
    return result, message.message_id if message is not None else None


async def deliver_now(app: App, message_id: int) -> Result:
    """Deliver what waits for this message's chat (it included); how this message stands."""
    message = await app.bot_data.store.outbox.get(message_id)
    if message is None:
        return FAILED  # erased (/forgetme): nothing to send
    token = _NOW.set(message_id)
    try:
        await flush(app, message.chat_id)
    finally:
        _NOW.reset(token)
    return await status(app, message_id)


async def withdraw(app: App, chat_id: int, kind: str, ref: int) -> int:
    """Messages of a kind about ``ref`` still waiting for this chat are no longer needed (a
    newcomer who agreed privately needs no welcome in the group): they are never sent."""
    return await app.bot_data.store.outbox.withdraw(chat_id, kind, ref)


def delivering_now(message_id: int) -> bool:
    """The message is being delivered for the caller who wrote it (who learns the outcome
    from ``send_critical``'s answer); False for a delivery that came later, by the worker."""
    return _NOW.get() == message_id


async def deliver(app: App, message_id: int) -> Result:
    """The first version's name for ``deliver_now``."""
    return await deliver_now(app, message_id)


async def reason(app: App, message_id: int) -> str | None:
    """Why a message was given up on (``forbidden``, ``chat_not_found``...), else None."""
    message = await app.bot_data.store.outbox.get(message_id)
    return message.error if message is not None and message.status == FAILED else None


async def status(app: App, message_id: int) -> Result:
    message = await app.bot_data.store.outbox.get(message_id)
    if message is None or message.status == FAILED:
        return FAILED
    return SENT if message.status == SENT else QUEUED


@contextlib.contextmanager
def caused_by(update_id: int) -> Iterator[None]:
    """While an update is handled: each message it writes is keyed by its cause — the update,
    the chat, the kind, and how many of that kind to that chat it wrote before. Handled again
    after a kill (its id not yet recorded), the update writes the same messages in the same
    order, and one already written is found by its key and not written (nor sent) again.
    Tasks started meanwhile (a job, a delivery) write no key."""
    token = _CAUSE.set((asyncio.current_task(), update_id, Counter()))
    try:
        yield
    finally:
        _CAUSE.reset(token)


def _cause(chat_id: int, kind: str) -> str | None:
    cause = _CAUSE.get()
    if cause is None or cause[0] is not asyncio.current_task():
        return None
    _, update_id, written = cause
    key = f"{chat_id}:{kind}"
    written[key] += 1
    return f"{update_id}:{key}:{written[key]}"


@contextlib.asynccontextmanager
async def together(app: App, *, carries_update: bool = True) -> AsyncIterator[None]:
    """A state change and the messages it causes, saved in one transaction; the messages are
    delivered after the commit (never for a change that was rolled back)::

        async with outbox.together(app):
            await store.moderation.start_sanction(...)
            await outbox.send_critical(app, member, text, kind="exclusion_support")

    Nested blocks join the outer one (delivery waits for the outer commit).
    ``carries_update``: as ``Database.transaction``'s.
    """
    db = app.bot_data.store.db
    if _TOGETHER.get() is not None:
        async with db.transaction(carries_update=carries_update):
            yield
        return
    chats: set[int] = set()
    token = _TOGETHER.set(chats)
    try:
        async with db.transaction(carries_update=carries_update):
            yield
    finally:
        _TOGETHER.reset(token)
    for chat_id in sorted(chats):
        await flush(app, chat_id)


# -- the worker ----------------------------------------------------------------------------------


async def flush(app: App, chat_id: int) -> None:
    """Send this chat's waiting messages, oldest first, until one has to wait.

    An update's handler never waits for a group's spent send budget: it leaves the message to
    the worker (the chat's wake-up, a job, which waits for it) and goes on. An update still
    being handled is not confirmed to Telegram, and Telegram shows the poller only the 100
    updates after the oldest unconfirmed one, so a handler waiting a minute for one group's
    budget would keep every other chat's updates out of sight."""
    data = app.bot_data
    store = data.store
    for _ in range(MAX_PER_FLUSH):
        head = await store.outbox.head(chat_id)
        if head is None:
            return
        now = data.clock.epoch()
        if head.status != "sending" and handling_update() and _budget_spent(app, head):
            await _wake(app, chat_id, now + 1)
            return
        if head.status == "sending":
            attempting = head.id in data.delivery.attempting
            if attempting or (head.claimed_at or 0) > now - LEASE_SECONDS:
                return  # an attempt is under way: it goes on with the next one
            await store.outbox.retry(head.id, now, "lease", doubt=True)
            continue
        if head.next_at > now:
            await _wake(app, chat_id, head.next_at)
            return
        high_water = head.high_water
        if not head.doubt:
            known = [_high_water(app, chat_id), await store.outbox.high_water(chat_id)]
            high_water = max((n for n in known if n is not None), default=None)
        if not await store.outbox.claim(head, high_water):
            return  # taken by another attempt just now
        claimed = await store.outbox.get(head.id)
        if claimed is None:
            return
        data.delivery.attempting.add(claimed.id)
        try:
            moved_to = await _attempt(app, claimed)
        finally:
            data.delivery.attempting.discard(claimed.id)
        if moved_to is not None:
            await flush(app, moved_to)
            continue
        after = await store.outbox.get(head.id)
        if after is not None and after.waiting:
            await _wake(app, chat_id, after.next_at)
            return
    await _wake(app, chat_id, data.clock.epoch())


def _budget_spent(app: App, message: Outgoing) -> bool:
    """A send into a group whose budget for this minute is spent (it would wait for it); an
    edit is not a send: Telegram's message limits do not count it."""
    if message.edit_of is not None:
        return False
    return not room_now(app.bot.rate_limiter, message.chat_id, _lane(message.lane))


def _high_water(app: App, chat_id: int) -> int | None:
    return app.bot_data.delivery.tracker.highest(chat_id)


async def _attempt(app: App, message: Outgoing) -> int | None:
    """One attempt at one claimed message; settles it or schedules its retry. Returns the new
    chat id if the group moved to a supergroup (the message goes there)."""
    data = app.bot_data
    outbox = data.store.outbox
    now = data.clock.epoch()
    try:
        if message.doubt and message.edit_of is None:  # an edit is simply made again
            found = await _find_copy(app, message)
            if found is not None:
                log.info("outbox %s: found delivered after all", message.id)
                data.delivery.tracker.saw(message.chat_id, found)
                await _settled(app, message, found)
                return None
        telegram_id = await _send(app, message)
    except RetryAfter as flood:
        await _retry(app, message, now + _seconds(flood.retry_after), "flood", doubt=False)
        return None
    except Forbidden:
        if message.chat_id > 0:
            await data.store.users.mark_blocked(message.chat_id)
        await _give_up(app, message, "forbidden")
        return None
    except ChatMigrated as moved:
        await outbox.move(message.id, moved.new_chat_id)
        return moved.new_chat_id
    except BadRequest as refused:
        reason = _refusal(refused)
        if message.edit_of is not None and reason in ("not_modified", "gone"):
            # Already so (a repeated edit), or the message is gone: nothing left to do.
            if reason == "not_modified" and message.doubt:
                await _settled(app, message, message.edit_of)
            else:
                await _give_up(app, message, reason)
            return None
        if reason == "bad_request":  # refused as it is: a fault of ours, worth an alarm
            log.error("outbox %s (%s) failed: BadRequest", message.id, message.kind)
        await _give_up(app, message, reason)
        return None
    except NetworkError as error:  # timeouts, 5xx, dropped connections
        await _retry(app, message, now + _backoff(message.attempts), _name(error), doubt=True)
        return None
    except TelegramError as error:
        await _retry(app, message, now + _backoff(message.attempts), _name(error), doubt=False)
        return None
    except BaseException:
        await outbox.retry(message.id, now, "cancelled", doubt=True)
        raise
    await _settled(app, message, telegram_id)
    return None


async def _settled(app: App, message: Outgoing, telegram_id: int) -> None:
    delivery = app.bot_data.delivery
    delivery.copied_text.pop(message.id, None)
    if not await app.bot_data.store.outbox.delivered(message.id, telegram_id):
        return
    hook = delivery.on_sent.get(message.kind)
    if hook is not None:
        await hook(app, message, telegram_id)


async def _send(app: App, message: Outgoing) -> int:
    markup = _markup(app, message)
    lane = _lane(message.lane)
    extra: dict[str, Any] = {}
    if isinstance(app.bot.rate_limiter, PamojaRateLimiter):
        extra["rate_limit_args"] = {"priority": lane}
    with outbox_attempt(), send_priority(lane):
        if message.edit_of is not None:
            await app.bot.edit_message_text(
                message.body,
                chat_id=message.chat_id,
                message_id=message.edit_of,
                reply_markup=markup,
            )
            return message.edit_of
        if message.copy_chat is not None and message.copy_message is not None:
            copied = await app.bot.copy_message(
                message.chat_id,
                message.copy_chat,
                message.copy_message,
                reply_markup=markup,
                **extra,
            )
            return copied.message_id
        if message.reply_to is not None:
            extra["reply_parameters"] = ReplyParameters(
                message.reply_to, allow_sending_without_reply=True
            )
        sent = await app.bot.send_message(
            message.chat_id, message.body, reply_markup=markup, **extra
        )
        return sent.message_id


def _markup(app: App, message: Outgoing) -> InlineKeyboardMarkup | None:
    """The stored keyboard as Telegram's object (read back, as from any Bot API answer)."""
    return InlineKeyboardMarkup.de_json(message.markup, app.bot) if message.markup else None


async def _find_copy(app: App, message: Outgoing) -> int | None:
    """The id of the copy Telegram accepted although its answer never came, if it can be
    found without touching any other message; ``None``: not there (or not safely knowable)."""
    delivery = app.bot_data.delivery
    tracker = delivery.tracker
    chat_id = message.chat_id
    body = delivery.copied_text.get(message.id) if message.copy_chat is not None else message.body
    if (
        message.high_water is None
        or not body
        or tracker.highest(chat_id) is None
        or tracker.unresolved(chat_id)
        or tracker.in_flight(chat_id)
    ):
        return None
    markup = _markup(app, message)
    ours = set(await app.bot_data.store.outbox.delivered_ids(chat_id, message.high_water))
    missing = 0
    for candidate in range(message.high_water + 1, message.high_water + 1 + PROBE_SPAN):
        if tracker.knows(chat_id, candidate) or candidate in ours:
            continue
        try:
            await app.bot.edit_message_text(
                body, chat_id=chat_id, message_id=candidate, reply_markup=markup
            )
        except BadRequest as error:
            lowered = error.message.lower()
            if "not modified" in lowered:
                return candidate  # it reads exactly so already: our copy
            if "not found" in lowered:
                missing += 1
                if missing >= 2:
                    return None
            continue  # the person's message, or not a text
        log.warning("outbox %s: an unknown message of the bot now reads as this one", message.id)
        tracker.saw(chat_id, candidate)
        return candidate
    return None


async def _retry(app: App, message: Outgoing, at: int, error: str, *, doubt: bool) -> None:
    data = app.bot_data
    if data.clock.epoch() - message.created_at > GIVE_UP_AFTER_BY_KIND.get(
        message.kind, GIVE_UP_AFTER
    ):
        await _give_up(app, message, "expired")
        return
    await data.store.outbox.retry(message.id, at, error, doubt=doubt)
    log.info("outbox %s: will retry (%s)", message.id, error)


async def _give_up(app: App, message: Outgoing, reason: str) -> None:
    delivery = app.bot_data.delivery
    delivery.copied_text.pop(message.id, None)
    if not await app.bot_data.store.outbox.given_up(message.id, reason):
        return
    log.info("outbox %s: cannot be delivered (%s)", message.id, reason)
    if message.fail_chat is not None and message.fail_body:
        await send_critical(app, message.fail_chat, message.fail_body, kind="failure_notice")
    hook = delivery.on_given_up.get(message.kind)
    if hook is not None:
        await hook(app, message, reason)


# -- waking the worker ---------------------------------------------------------------------------


async def _wake(app: App, chat_id: int, at: int) -> None:
    await app.bot_data.scheduler.schedule(
        app, KIND, at, chat_id=chat_id, payload={"chat": chat_id}, dedupe_key=f"{KIND}:{chat_id}"
    )


async def wake_job(app: App, action: ScheduledAction) -> None:
    """The scheduled wake-up: deliver what waits for the chat (a retry re-arms its own)."""
    chat_id = action.payload.get("chat", action.chat_id)
    if not isinstance(chat_id, int):
        return
    # Closed first, so a retry due later arms a fresh wake-up instead of moving this one.
    await app.bot_data.store.scheduled.finish(action.id)
    await flush(app, chat_id)


DELETE = f"{FEATURE}.delete"
"""A message to remove that Telegram could not remove at once (a scheduled action)."""
_GONE = ("message to delete not found", "message can't be deleted", "not enough rights")


async def delete(app: App, chat_id: int, message_id: int) -> bool:
    """Remove a message; if Telegram fails for now, the removal is retried later (a scheduled
    action). False only when it cannot be removed (gone already, too old, no right)."""
    try:
        return await app.bot.delete_message(chat_id, message_id)
    except BadRequest as error:
        if any(reason in error.message.lower() for reason in _GONE):
            return False
        raise
    except Forbidden:
        return False
    except (RetryAfter, NetworkError) as error:
        wait = _seconds(error.retry_after) if isinstance(error, RetryAfter) else FIRST_BACKOFF
        await app.bot_data.scheduler.schedule(
            app,
            DELETE,
            app.bot_data.clock.epoch() + wait,
            chat_id=chat_id,
            payload={"chat": chat_id, "message": message_id},
            dedupe_key=f"{DELETE}:{chat_id}:{message_id}",
        )
        return True


async def delete_job(app: App, action: ScheduledAction) -> None:
    """Retry a removal (the scheduler retries again after a 429 or a network failure)."""
    chat_id, message_id = action.payload.get("chat"), action.payload.get("message")
    if not isinstance(chat_id, int) or not isinstance(message_id, int):
        return
    try:
        await app.bot.delete_message(chat_id, message_id)
    except BadRequest as error:
        if not any(reason in error.message.lower() for reason in _GONE):
            raise
    except Forbidden:
        return


async def legacy_job(app: App, action: ScheduledAction) -> None:
    """A retry written by the first version: deliver that message's chat."""
    message_id = action.payload.get("id")
    if isinstance(message_id, int):
        await app.bot_data.store.scheduled.finish(action.id)
        await deliver_now(app, message_id)


async def start(app: App) -> int:
    """At start-up: attempts cut off by the stop are in doubt; every waiting chat is woken."""
    store = app.bot_data.store
    await store.outbox.release_all()
    chats = await store.outbox.waiting_chats()
    for chat_id, due in chats:
        await _wake(app, chat_id, due)
    return len(chats)


async def flush_all(app: App) -> None:
    """Deliver everything that is due, chat by chat (tests and the soak bench)."""
    for chat_id, due in await app.bot_data.store.outbox.waiting_chats():
        if due <= app.bot_data.clock.epoch():
            await flush(app, chat_id)


# -- small helpers -------------------------------------------------------------------------------


def _lane(stored: str) -> Priority:
    if stored == "bulk":
        return "bulk"
    if stored == "notice":
        return "notice"
    return "critical"


def _backoff(attempts: int) -> int:
    return int(min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, attempts - 1)))


def _seconds(retry_after: object) -> int:
    total = getattr(retry_after, "total_seconds", None)
    value = total() if callable(total) else retry_after
    return max(1, int(value + 0.999)) if isinstance(value, int | float) else 60


def _refusal(error: BadRequest) -> str:
    lowered = error.message.lower()
    if "chat not found" in lowered or "user not found" in lowered:
        return "chat_not_found"
    if "not modified" in lowered:
        return "not_modified"
    if "to edit not found" in lowered or "can't be edited" in lowered or "no text" in lowered:
        return "gone"
    if "rights" in lowered or "write_forbidden" in lowered or "restricted" in lowered:
        return "no_rights"  # the group took the bot's right to write
    return "bad_request"


def _name(error: Exception) -> str:
    return type(error).__name__.lower()[:40]
