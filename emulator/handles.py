"""Small immutable handles for the people and groups a test or demo creates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserHandle:
    id: int
    first_name: str
    username: str | None = None


@dataclass(frozen=True)
class GroupHandle:
    id: int
    title: str


UserRef = UserHandle | int
ChatRef = GroupHandle | UserHandle | int


def ref_id(ref: UserRef | ChatRef) -> int:
    return ref if isinstance(ref, int) else ref.id
