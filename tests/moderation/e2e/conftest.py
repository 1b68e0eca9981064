"""A peer group for the moderation tests: Wanjiru owns it, Otieno is a second admin, Juma and
Neema are members. Both admins and Juma have started the bot privately; Neema has not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from emulator import GroupHandle, UserHandle
from tests.support import Harness


@dataclass(frozen=True)
class Cast:
    owner: UserHandle
    admin: UserHandle
    juma: UserHandle
    neema: UserHandle
    group: GroupHandle


@pytest.fixture
async def cast(harness: Harness) -> Cast:
    owner, admin = harness.user("Wanjiru"), harness.user("Otieno")
    juma, neema = harness.user("Juma"), harness.user("Neema")
    group = await harness.group("Peer Group", owner=owner, admins=[admin], members=[juma, neema])
    for person in (owner, admin, juma):
        await harness.start(person)
    return Cast(owner, admin, juma, neema, group)
