"""Scene: a member asks privately to talk; an administrator accepts; a few lines each way; /end.

The two never see each other's account: every line goes through the bot.
"""

from __future__ import annotations

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:
    wanjiru = driver.user("Wanjiru")
    otieno = driver.user("Otieno")
    neema = driver.user("Neema")
    group = await driver.group("Pamoja Peer Circle", owner=wanjiru, admins=[otieno])
    await driver.join(group, neema)
    await driver.start(otieno)
    await driver.start(neema)

    await driver.private(neema, "/talk")
    await driver.tap(neema, neema, "An administrator")
    await driver.private(neema, "Things at home feel heavy this week")
    await driver.tap(otieno, otieno, "Accept")

    await driver.private(neema, "Thank you for answering. I didn't want to say it in the group.")
    await driver.private(otieno, "I'm glad you reached out. I'm listening — take your time.")
    await driver.private(neema, "It helps just to write it down.")
    await driver.private(otieno, "That makes sense. We can talk again whenever you need.")
    await driver.private(neema, "/end")
