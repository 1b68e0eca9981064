"""Typed dependency injection: everything a handler needs hangs off ``context.bot_data``.

PTB creates ``BotData()`` itself; ``build_application`` fills it in and ``on_startup`` opens the
store. No module-level globals for the app, bot, settings or database. A handler reaches the
application as ``context.app`` (typed), never by casting ``context.application``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.peers.watch import QuietWatch

if TYPE_CHECKING:
    from bot.adapters.admins import AdminCache
    from bot.adapters.ordinary import OrdinaryMessage
    from bot.crisis import CrisisLines
    from bot.delivery.outbox import Delivery
    from bot.i18n import Catalogues
    from bot.moderation.service import ModerationService
    from bot.ops.wiring import Ops
    from bot.scheduler import Scheduler
    from bot.settings import Settings
    from bot.storage.store import Store
    from bot.talk.policy import TalkPolicy
    from bot.timeutil import Clock

T = TypeVar("T")


class NotReadyError(RuntimeError):
    """A service was used before start-up wired it (a programming error)."""


def _need(value: T | None, name: str) -> T:
    if value is None:
        raise NotReadyError(f"{name} is not ready: start-up has not run")
    return value


class BotData:
    """The application's services. Attributes are set by ``build_application``/start-up."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._store: Store | None = None
        self._texts: Catalogues | None = None
        self._clock: Clock | None = None
        self._admins: AdminCache | None = None
        self._scheduler: Scheduler | None = None
        self._crisis: CrisisLines | None = None
        self._moderation: ModerationService | None = None
        self._talk_policy: TalkPolicy | None = None
        self._delivery: Delivery | None = None
        self.quiet_watch = QuietWatch()
        # The lean path of an ordinary group message (set by the router; None: every update
        # goes through the handlers). False from it: the update goes through them after all.
        self.ordinary: OrdinaryPath | None = None
        # Operations (metrics, heartbeat): present when the bot runs for real, else None.
        self.ops: Ops | None = None

    @property
    def settings(self) -> Settings:
        return _need(self._settings, "settings")

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    @property
    def store(self) -> Store:
        return _need(self._store, "store")

    @store.setter
    def store(self, value: Store | None) -> None:
        self._store = value

    @property
    def has_store(self) -> bool:
        return self._store is not None

    @property
    def texts(self) -> Catalogues:
        return _need(self._texts, "texts")

    @texts.setter
    def texts(self, value: Catalogues) -> None:
        self._texts = value

    @property
    def clock(self) -> Clock:
        return _need(self._clock, "clock")

    @clock.setter
    def clock(self, value: Clock) -> None:
        self._clock = value

    @property
    def admins(self) -> AdminCache:
        return _need(self._admins, "admins")

    @admins.setter
    def admins(self, value: AdminCache) -> None:
        self._admins = value

    @property
    def scheduler(self) -> Scheduler:
        return _need(self._scheduler, "scheduler")

    @scheduler.setter
    def scheduler(self, value: Scheduler) -> None:
        self._scheduler = value

    @property
    def crisis(self) -> CrisisLines:
        return _need(self._crisis, "crisis")

    @crisis.setter
    def crisis(self, value: CrisisLines) -> None:
        self._crisis = value

    @property
    def moderation(self) -> ModerationService:
        return _need(self._moderation, "moderation")

    @moderation.setter
    def moderation(self, value: ModerationService) -> None:
        self._moderation = value

    @property
    def talk_policy(self) -> TalkPolicy:
        return _need(self._talk_policy, "talk_policy")

    @talk_policy.setter
    def talk_policy(self, value: TalkPolicy) -> None:
        self._talk_policy = value

    @property
    def delivery(self) -> Delivery:
        return _need(self._delivery, "delivery")

    @delivery.setter
    def delivery(self, value: Delivery) -> None:
        self._delivery = value


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Pamoja's callback context (a real subclass, as PTB requires; one per update)."""

    # The button press already answered while handling this update: Telegram refuses a second
    # answer to the same query (400 "query is too old ... or query ID is invalid").
    answered_query: str | None = None

    @property
    def app(self) -> App:
        """The application, typed: the one way a handler or job reaches it."""
        return cast("App", self.application)


CONTEXT_TYPES = ContextTypes(context=Context, bot_data=BotData)

App: TypeAlias = Application[
    ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context]
]
# The lean path of an ordinary group message (``bot/handlers/ordinary.take``).
OrdinaryPath: TypeAlias = "Callable[[App, OrdinaryMessage], Awaitable[bool]]"
