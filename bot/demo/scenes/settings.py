"""Scene: an administrator of two groups changes settings by tapping, from the private chat —
the group picker, a toggle, the reminder's day and time, the support-lines country, one of the
group's own lines typed in, and a typed form in Kiswahili. Nothing is posted in the groups."""

from __future__ import annotations

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:
    akinyi = driver.user("Akinyi")
    baraka = driver.user("Baraka", language="sw")
    first = await driver.group("Mathare Peer Circle", owner=akinyi, members=[baraka])
    await driver.group("Kibera Family Support", owner=akinyi)
    await driver.start(akinyi)

    await driver.say(first, akinyi, "/settings")  # a short answer with a button, in the group
    await driver.private(akinyi, "/settings")  # in private: which group?
    await driver.tap(akinyi, akinyi, "Mathare Peer Circle")
    await driver.tap(akinyi, akinyi, "Ask members to agree again")
    await driver.tap(akinyi, akinyi, "Rules reminder:")
    await driver.tap(akinyi, akinyi, "Fri")
    await driver.tap(akinyi, akinyi, "18:00")
    await driver.tap(akinyi, akinyi, "‹ Back")
    await driver.tap(akinyi, akinyi, "Support lines of:")
    await driver.tap(akinyi, akinyi, "Kenya")
    await driver.tap(akinyi, akinyi, "The group's own lines")
    await driver.tap(akinyi, akinyi, "Add a line")
    await driver.private(akinyi, "Mathare Peer Hub, 0712 345 678, Mon–Fri 9–17")
    await driver.tap(akinyi, akinyi, "‹ Back")
    await driver.tap(akinyi, akinyi, "Done")

    # The typed form still works, in Kiswahili too.
    await driver.say(first, akinyi, "/settings lugha kiswahili")
    await driver.say(first, baraka, "/rules")
