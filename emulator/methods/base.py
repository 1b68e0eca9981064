"""What a Bot API method implementation looks like, and helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emulator.errors import bad_request
from emulator.params import Params
from emulator.world import Chat, User

if TYPE_CHECKING:
    from emulator.state import World

Handler = Callable[["World", Params], object]


@dataclass(frozen=True)
class MethodSpec:
    name: str
    handler: Handler


def require_right(world: World, chat: Chat, right: str, reason: str) -> None:
    if not world.bot_right(chat, right):
        raise bad_request(reason)


def target_user(world: World, params: Params, reason: str = "PARTICIPANT_ID_INVALID") -> User:
    user_id = params.required_integer("user_id")
    user = world.users.get(user_id)
    if user is None:
        raise bad_request(reason)
    return user
