"""`World`: all mutable state of one emulator, with the low-level rules every method shares."""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from emulator.errors import ApiError, too_many_requests
from emulator.updates import UpdateQueue
from emulator.world import (
    ANONYMOUS_ADMIN_ID,
    CHANNEL_BOT_ID,
    JSON,
    CallbackQuery,
    CallRecord,
    Chat,
    Event,
    InjectedFailure,
    InviteLink,
    JoinRequest,
    MediaFile,
    Membership,
    Message,
    User,
)

FOREVER_MIN_SECONDS = 30
FOREVER_MAX_SECONDS = 366 * 24 * 3600
JOIN_REQUEST_DM_WINDOW = 5 * 60
FLOOD_OVERALL_PER_SECOND = 30
FLOOD_GROUP_PER_MINUTE = 20


@dataclass
class Webhook:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    has_custom_certificate: bool = False
    ip_address: str | None = None


@dataclass
class BotProfile:
    commands: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)


class World:
    """Everything the emulator knows. Methods and actors mutate it; nothing else does."""

    def __init__(
        self,
        *,
        token: str,
        bot_name: str,
        bot_username: str,
        clock: Callable[[], float] | None,
        privacy_mode: bool,
        enforce_flood_limits: bool,
        allowed_updates: Iterable[str] | None,
    ) -> None:
        self.token = token
        self.bot = User(
            id=int(token.split(":", 1)[0]), first_name=bot_name, username=bot_username, is_bot=True
        )
        self._clock = clock or time.time
        self._offset = 0.0
        self.privacy_mode = privacy_mode
        self.enforce_flood_limits = enforce_flood_limits
        anonymous = User(
            id=ANONYMOUS_ADMIN_ID, first_name="Group", username="GroupAnonymousBot", is_bot=True
        )
        channel = User(
            id=CHANNEL_BOT_ID, first_name="Channel", username="Channel_Bot", is_bot=True
        )
        self.users: dict[int, User] = {
            self.bot.id: self.bot,
            anonymous.id: anonymous,
            channel.id: channel,
        }
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, MediaFile] = {}
        self.links: dict[str, InviteLink] = {}
        self.join_requests: dict[tuple[int, int], JoinRequest] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.poll_voters: dict[str, set[int]] = {}
        self.profile = BotProfile()
        self.webhook = Webhook()
        self.updates = UpdateQueue(allowed_updates)
        self.events: list[Event] = []
        self.calls: list[CallRecord] = []
        self.failures: list[InjectedFailure] = []
        self.last_call_at = 0.0
        self._sends: deque[float] = deque()
        self._group_sends: dict[int, deque[float]] = {}
        self.flood_refusals = 0
        """Sends refused with 429 by the flood limits (a bot that keeps its limits gets 0)."""
        self._next_user_id = 100_000_001
        self._next_group_id = -1_001_000_000_001
        self._next_callback = 4_382_937_000_000_000_001

    # -- time -------------------------------------------------------------------------------

    def now(self) -> float:
        return self._clock() + self._offset

    def today(self) -> int:
        """The current date as Telegram gives it: whole epoch seconds."""
        return int(self.now())

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def until_date(self, until: int | None) -> int:
        """Telegram's rule: 0, under 30 seconds or over 366 days from now means forever (0)."""
        if not until:
            return 0
        delta = until - self.now()
        if delta < FOREVER_MIN_SECONDS or delta > FOREVER_MAX_SECONDS:
            return 0
        return int(until)

    # -- ids ----------------------------------------------------------------------------------

    def new_user_id(self) -> int:
        while self._next_user_id in self.users:
            self._next_user_id += 1
        return self._next_user_id

    def new_group_id(self) -> int:
        while self._next_group_id in self.chats:
            self._next_group_id -= 1
        return self._next_group_id

    def new_callback_id(self) -> str:
        self._next_callback += 1
        return str(self._next_callback)

    @staticmethod
    def new_invite_url() -> str:
        return "https://t.me/+" + secrets.token_urlsafe(12)

    # -- lookups ------------------------------------------------------------------------------

    def user(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def find_chat(self, chat_id: int | str) -> Chat | None:
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                wanted = chat_id[1:].lower()
                for chat in self.chats.values():
                    if chat.username and chat.username.lower() == wanted:
                        return chat
                return None
            try:
                chat_id = int(chat_id)
            except ValueError:
                return None
        found = self.chats.get(chat_id)
        if found is None and chat_id in self.users and chat_id != self.bot.id:
            return self.private_chat(self.users[chat_id])
        return found

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private")
            chat.members[user.id] = Membership(user.id, "member")
            chat.members[self.bot.id] = Membership(self.bot.id, "member")
            self.chats[user.id] = chat
        return chat

    def member(self, chat: Chat, user_id: int) -> Membership:
        """The user's current membership, with expired restrictions and bans lapsed."""
        membership = chat.members.get(user_id)
        if membership is None:
            return Membership(user_id, "left")
        if membership.until_date and self.now() >= membership.until_date:
            if membership.status == "restricted":
                membership.status = "member" if membership.is_member else "left"
                membership.permissions = None
                membership.until_date = 0
            elif membership.status == "kicked":
                membership.status = "left"
                membership.until_date = 0
        return membership

    def bot_member(self, chat: Chat) -> Membership:
        return self.member(chat, self.bot.id)

    def bot_is_admin(self, chat: Chat) -> bool:
        return self.bot_member(chat).is_admin

    def bot_right(self, chat: Chat, right: str) -> bool:
        membership = self.bot_member(chat)
        if membership.status == "creator":
            return True
        if membership.status != "administrator" or membership.rights is None:
            return False
        return bool(getattr(membership.rights, right))

    def display_name(self, user_id: int) -> str:
        user = self.users.get(user_id)
        return user.full_name if user else str(user_id)

    def chat_label(self, chat_id: int) -> str:
        chat = self.chats.get(chat_id)
        if chat is None:
            return str(chat_id)
        if chat.is_private:
            return f"{self.bot.first_name} ↔ {self.display_name(chat.id)}"
        return chat.title or str(chat.id)

    # -- messages and transcript --------------------------------------------------------------

    def new_message(self, chat: Chat, sender_id: int, **fields: object) -> Message:
        message = Message(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            date=self.today(),
            sender_id=sender_id,
            **fields,  # type: ignore[arg-type]
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        return message

    def log(self, chat_id: int, actor: str, text: str, *, service: bool = False) -> None:
        self.events.append(
            Event(
                seq=len(self.events) + 1,
                at=self.now(),
                chat_id=chat_id,
                actor=actor,
                text=text,
                service=service,
            )
        )

    # -- flood control and injected failures --------------------------------------------------

    def take_failure(self, method: str, chat_id: object) -> ApiError | None:
        for index, failure in enumerate(self.failures):
            if failure.method.lower() != method.lower():
                continue
            if failure.chat_id is not None and str(failure.chat_id) != str(chat_id):
                continue
            del self.failures[index]
            return ApiError(failure.error_code, failure.description, failure.retry_after)
        return None

    def check_flood(self, chat: Chat) -> None:
        """Telegram's limits: ~30 messages/second overall, 20 messages/minute into a group."""
        now = self.now()
        while self._sends and now - self._sends[0] >= 1:
            self._sends.popleft()
        if len(self._sends) >= FLOOD_OVERALL_PER_SECOND:
            self.flood_refusals += 1
            raise too_many_requests(1)
        if not chat.is_private:
            sends = self._group_sends.setdefault(chat.id, deque())
            while sends and now - sends[0] >= 60:
                sends.popleft()
            if len(sends) >= FLOOD_GROUP_PER_MINUTE:
                self.flood_refusals += 1
                raise too_many_requests(max(1, int(60 - (now - sends[0]) + 0.999)))
            sends.append(now)
        self._sends.append(now)
