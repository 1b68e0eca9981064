"""The emulated Telegram world: people, chats, memberships, messages, links and requests."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, Self

JSON = dict[str, Any]

ChatType = Literal["private", "supergroup"]
Status = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]
MediaKind = Literal["document", "photo", "voice", "sticker", "video", "audio"]

ANONYMOUS_ADMIN_ID = 1087968824
"""GroupAnonymousBot: the sender Telegram shows for messages of anonymous group admins."""
CHANNEL_BOT_ID = 136817688
"""Channel_Bot: the sender Telegram shows for messages posted in a group on behalf of a channel."""

ACTIVE_STATUSES: frozenset[str] = frozenset({"creator", "administrator", "member", "restricted"})
ADMIN_STATUSES: frozenset[str] = frozenset({"creator", "administrator"})


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    is_premium: bool = False
    has_started_bot: bool = False
    has_blocked_bot: bool = False
    dm_window_until: float = 0.0
    """Until when the bot may message this user after a join request (Telegram: 5 minutes)."""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


class _Flags:
    """Shared helpers for dataclasses made only of boolean flags."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in self.names()}

    @classmethod
    def from_mapping(cls, values: dict[str, Any], *, default: bool) -> Self:
        known = {name: bool(values.get(name, default)) for name in cls.names()}
        return cls(**known)

    def all_true(self) -> bool:
        return all(self.as_dict().values())


@dataclass
class Permissions(_Flags):
    """ChatPermissions: what a plain or restricted member may do."""

    can_send_messages: bool = True
    can_send_audios: bool = True
    can_send_documents: bool = True
    can_send_photos: bool = True
    can_send_videos: bool = True
    can_send_video_notes: bool = True
    can_send_voice_notes: bool = True
    can_send_polls: bool = True
    can_send_other_messages: bool = True
    can_add_web_page_previews: bool = True
    can_react_to_messages: bool = True
    can_change_info: bool = True
    can_invite_users: bool = True
    can_pin_messages: bool = True
    can_manage_topics: bool = True
    can_edit_tag: bool = True


@dataclass
class AdminRights(_Flags):
    """ChatAdministratorRights (the supergroup subset)."""

    is_anonymous: bool = False
    can_manage_chat: bool = True
    can_delete_messages: bool = True
    can_manage_video_chats: bool = True
    can_restrict_members: bool = True
    can_promote_members: bool = False
    can_change_info: bool = True
    can_invite_users: bool = True
    can_post_stories: bool = False
    can_edit_stories: bool = False
    can_delete_stories: bool = False
    can_pin_messages: bool = True
    can_manage_topics: bool = False


@dataclass
class Membership:
    user_id: int
    status: Status
    rights: AdminRights | None = None
    permissions: Permissions | None = None
    is_member: bool = False
    until_date: int = 0
    """Restricted/kicked until this epoch second; 0 means forever."""
    custom_title: str | None = None
    promoted_by_bot: bool = False

    def snapshot(self) -> Membership:
        return replace(
            self,
            rights=replace(self.rights) if self.rights else None,
            permissions=replace(self.permissions) if self.permissions else None,
        )

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES and (self.status != "restricted" or self.is_member)

    @property
    def is_admin(self) -> bool:
        return self.status in ADMIN_STATUSES


@dataclass
class MediaFile:
    file_id: str
    file_unique_id: str
    kind: MediaKind
    file_name: str | None
    mime_type: str | None
    data: bytes
    duration: int = 0
    width: int = 0
    height: int = 0
    emoji: str | None = None
    title: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Message:
    chat_id: int
    message_id: int
    date: int
    sender_id: int
    text: str | None = None
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    media: MediaFile | None = None
    reply_markup: JSON | None = None
    reply_to: int | None = None
    sender_chat_id: int | None = None
    service: JSON | None = None
    forward_origin: JSON | None = None
    thread_id: int | None = None
    """The forum topic the message is in (``message_thread_id``); None outside topics."""
    poll: JSON | None = None
    """A poll the message carries (the Bot API's Poll object, kept up to date)."""
    extra: JSON = field(default_factory=dict)
    """Bot API fields the emulator does not model (via_bot, is_automatic_forward, quote...),
    sent as given."""
    protect_content: bool = False
    edit_date: int | None = None
    deleted: bool = False
    deleted_by: int | None = None

    def buttons(self) -> list[JSON]:
        """Inline keyboard buttons, row by row, flattened."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [button for row in rows for button in row]


@dataclass
class Chat:
    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    description: str | None = None
    join_by_request: bool = False
    permissions: Permissions = field(default_factory=Permissions)
    members: dict[int, Membership] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1
    pinned: list[int] = field(default_factory=list)
    primary_link: str | None = None
    is_forum: bool = False
    topics: dict[int, str] = field(default_factory=dict)
    """Forum topics by message_thread_id (the General topic has none)."""

    @property
    def is_private(self) -> bool:
        return self.type == "private"


@dataclass
class InviteLink:
    chat_id: int
    url: str
    creator_id: int
    creates_join_request: bool = False
    is_primary: bool = False
    is_revoked: bool = False
    name: str | None = None
    expire_date: int | None = None
    member_limit: int | None = None
    joined: int = 0


@dataclass
class JoinRequest:
    chat_id: int
    user_id: int
    date: int
    invite_link: str | None = None
    bio: str | None = None


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created_at: float
    answered: bool = False


@dataclass(frozen=True)
class CallRecord:
    """One Bot API call as the emulator saw it (the token is never recorded)."""

    method: str
    params: JSON
    ok: bool
    error_code: int | None = None
    description: str | None = None
    at: float = 0.0


@dataclass(frozen=True)
class Event:
    """One line of what the people in a chat would see."""

    seq: int
    at: float
    chat_id: int
    actor: str
    text: str
    service: bool = False


@dataclass(frozen=True)
class SentFile:
    """A file a message in a chat carries, with its bytes when it was uploaded."""

    chat_id: int
    message_id: int
    kind: MediaKind
    file_id: str
    file_name: str | None
    mime_type: str | None
    data: bytes
    caption: str | None
    sender_id: int


@dataclass(frozen=True)
class InjectedFailure:
    method: str
    error_code: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None
