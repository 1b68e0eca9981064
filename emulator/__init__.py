"""A faithful fake of the Telegram Bot API subset Pamoja uses, with Telegram's real errors.

One core (`Emulator`), reachable in-process (`EmulatorRequest`, a PTB request backend) or over
HTTP (`EmulatorServer`, like a self-hosted Bot API server, plus a JSON control API)::

    emu = Emulator(clock=manual_clock.epoch)           # any () -> epoch seconds
    amina = emu.add_user("Amina", language_code="sw")
    group = emu.add_group("Peer Group", owner=amina)
    emu.add_bot_to_group(group, by=amina, as_admin=True)

    app = (ApplicationBuilder().token(emu.token)
           .request(EmulatorRequest(emu)).get_updates_request(EmulatorRequest(emu)).build())
    # ...or, over HTTP: root = await EmulatorServer(emu).start(); base_url=f"{root}/bot"

    emu.send(group, amina, "/start")                   # the bot gets the update
    await emu.wait_idle()                              # when the bot polls
    emu.transcript()                                   # what people saw, as text
"""

from emulator.core import DEFAULT_TOKEN, Emulator
from emulator.errors import ApiError, EmulatorError
from emulator.handles import ChatRef, GroupHandle, UserHandle, UserRef
from emulator.server import EmulatorServer, serve
from emulator.transport import EmulatorRequest
from emulator.world import (
    CallRecord,
    Event,
    InviteLink,
    JoinRequest,
    Membership,
    Message,
    SentFile,
)

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "CallRecord",
    "ChatRef",
    "Emulator",
    "EmulatorError",
    "EmulatorRequest",
    "EmulatorServer",
    "Event",
    "GroupHandle",
    "InviteLink",
    "JoinRequest",
    "Membership",
    "Message",
    "SentFile",
    "UserHandle",
    "UserRef",
    "serve",
]
