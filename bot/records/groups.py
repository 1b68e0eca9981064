"""Record types of groups (frozen; import nothing of the package)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BotRights:
    is_admin: bool
    can_restrict: bool
    can_delete: bool
    can_invite: bool

    @property
    def missing(self) -> tuple[str, ...]:
        """The rights Pamoja needs and does not have, by name."""
        names = ("can_restrict", "can_delete", "can_invite")
        return tuple(name for name in names if not getattr(self, name))


@dataclass(frozen=True)
class Group:
    chat_id: int
    title: str
    active: bool
    rights: BotRights
    registered: bool
    language: str
    timezone: str
    join_mode: str
    rules_gate: bool
    flagging: bool
    admin_chat_id: int | None
    crisis_country: str
    pin_rules: bool = True
    rules_pinned_id: int | None = None
    show_emergency: bool = False
    greeted_at: int | None = None


@dataclass(frozen=True)
class GroupLine:
    """One of a group's own support lines, as its administrators wrote it."""

    id: int
    chat_id: int
    name: str
    number: str
    hours: str
