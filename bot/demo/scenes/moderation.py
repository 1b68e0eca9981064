"""Scene: a solicitor is flagged and excluded for good; a member takes a day's break with support
and is welcomed back; a report is handled by one admin and shown as handled to the other."""

from __future__ import annotations

import re

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:
    wanjiru, otieno = driver.user("Wanjiru"), driver.user("Otieno")
    baraka, zawadi = driver.user("Baraka"), driver.user("Zawadi")
    seller = driver.user("Coach Ben")
    group = await driver.group(
        "Moderation Demo Group", owner=wanjiru, admins=[otieno], members=[baraka, zawadi, seller]
    )
    for person in (wanjiru, otieno, baraka):
        await driver.start(person)

    # 1. A solicitor: the bot only flags; an admin decides with one tap.
    await driver.say(
        group,
        seller,
        "Private counselling sessions, only KSh 1500. Book here: calendly.com/coachben",
    )
    await driver.tap(otieno, otieno, "Exclude as solicitor")
    second = await driver.group("Second Group", owner=wanjiru)
    driver.emu.join(second, seller)  # kept out of every group of the deployment
    await driver.settle()

    # 2. A report: the reporter stays unseen; the first admin to act handles it for all.
    hurtful = await driver.say(group, zawadi, "nobody here understands anything")
    await driver.say(group, baraka, "/report this felt dismissive", reply_to=hurtful)
    await driver.tap(wanjiru, wanjiru, "No action needed")

    # 3. A day's break with continued support, and the way back.
    heated = await driver.say(group, baraka, "I'm done with all of you")
    await driver.say(group, wanjiru, "/exclude 1d to let things calm down", reply_to=heated)
    await driver.advance(12 * 3600)  # a check-in half-way
    await driver.advance(12 * 3600)  # the time is up: a single-use link and a welcome back
    link = re.search(r"https://t\.me/\+\S+", driver.last(baraka).text or "")
    if link is not None:
        await driver.open_link(baraka, link.group(0))
