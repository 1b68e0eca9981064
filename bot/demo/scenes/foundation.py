"""Scene: an administrator adds Pamoja to a group and sets it up; a member meets it privately."""

from __future__ import annotations

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:
    wanjiru = driver.user("Wanjiru")
    amina = driver.user("Amina", language="sw")
    group = await driver.group(
        "USP-K Virtual Group",
        owner=wanjiru,
        members=[amina],
        rights={"can_invite_users": False},
    )
    driver.emu.set_bot_rights(group, can_invite_users=True)
    await driver.settle()
    await driver.say(group, wanjiru, "/setup")
    await driver.start(amina)
    await driver.private(amina, "/privacy")
