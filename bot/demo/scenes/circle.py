"""Scene: a member builds their circle, a support person accepts (the member confirms the
account), help text is sent; an
administrator's concern is declined (nothing shared), a second one accepted (member told)."""

from __future__ import annotations

import re

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:
    baraka = driver.user("Baraka")
    amani = driver.user("Amani")
    wanjiru = driver.user("Wanjiru")
    group = await driver.group("Pamoja Nairobi", owner=baraka)
    await driver.join(group, amani)
    await driver.start(baraka)
    await driver.start(amani)

    # Amani names her sister, who has Telegram, and sends her a personal invite link.
    await driver.private(amani, "/mycircle")
    await driver.tap(amani, amani, "Add a support person")
    for answer in ("Wanjiru", "sister"):
        await driver.private(amani, answer)
    await driver.tap(amani, amani, "Skip")  # no phone number
    await driver.private(amani, "call me in the evening")
    await driver.tap(amani, amani, "Yes")
    await driver.tap(amani, amani, "Telegram invite")
    link = re.search(r"https://t\.me/\S+", driver.last(amani).text or "")
    if link is not None:
        await driver.open_link(wanjiru, link.group(0))
        await driver.tap(wanjiru, wanjiru, "I accept")
        # Amani sees which Telegram account accepted, and confirms it is her sister.
        await driver.tap(amani, amani, "Yes, that is them")

    # Her brother has no Telegram: recorded by phone, asked in person.
    await driver.private(amani, "/mycircle")
    await driver.tap(amani, amani, "Add a support person")
    for answer in ("Kamau", "brother", "0722 000 111"):
        await driver.private(amani, answer)
    await driver.tap(amani, amani, "Skip")
    await driver.tap(amani, amani, "Yes")

    # Her help text, in her own words, previewed exactly.
    await driver.private(amani, "/mycircle")
    await driver.tap(amani, amani, "My help text")
    await driver.tap(amani, amani, "Write my help text")
    await driver.private(amani, "I'm having a hard time. Please call me tonight.")
    await driver.tap(amani, amani, "Save it")

    # "I need support now": she picks her sister; the help text goes to her on Telegram.
    await driver.private(amani, "/supportnow")
    await driver.tap(amani, amani, "Wanjiru")
    await driver.tap(amani, amani, "Send")

    # An administrator is worried. Amani is asked first — and says no: nothing is shared.
    posted = await driver.say(group, amani, "Rough week.")
    await driver.say(group, baraka, "/concern", reply_to=posted)
    await driver.tap(amani, amani, "No, please don't")

    # Later, a second concern: this time she says yes, and chooses her brother only.
    await driver.private(baraka, f"/concern {amani.id}")
    await driver.tap(amani, amani, "Yes, I'll choose who")
    await driver.tap(amani, amani, "Kamau")
    await driver.tap(amani, amani, "Send")
