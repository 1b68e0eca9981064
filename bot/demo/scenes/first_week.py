"""Scene: a group's first week. The group existed long before the bot; its administrators
press Start only later. Nothing is lost meanwhile: a solicitation flag, a report, a join request
and a /talk request wait for the first administrator who opens a private chat with the bot. A
measure is confirmed in the group without a name and the confirmation goes after a minute; a
support message waits for the member; an appeal goes to the other administrator."""

from __future__ import annotations

from bot.demo.driver import Driver

DAY = 86400


async def play(driver: Driver) -> None:
    achieng, kamau = driver.user("Achieng"), driver.user("Kamau")
    musa, halima = driver.user("Musa"), driver.user("Halima")
    seller = driver.user("Coach Pat")
    # The group has been going for months, members talking, before the bot arrives.
    group = driver.emu.add_group(
        "Kisumu Peer Circle",
        owner=achieng,
        admins=[kamau],
        members=[musa, halima, seller],
        join_by_request=True,
    )
    driver.emu.send(group, musa, "Morning all, a hard night but I'm here")
    driver.emu.send(group, halima, "Glad you're here, Musa")

    # Day 1: Achieng adds Pamoja and runs /setup. Nobody on the team has pressed Start yet.
    driver.emu.add_bot_to_group(group, by=achieng, as_admin=True)
    await driver.settle()
    await driver.say(group, achieng, "/setup")
    await driver.say(group, achieng, "/settings join approval")
    await driver.start(musa)
    await driver.say(
        group, seller, "Private counselling sessions, only KSh 1500. Book here: calendly.com/pat"
    )
    hurtful = await driver.say(group, halima, "honestly you are all too sensitive")
    await driver.say(group, musa, "/report that hurt", reply_to=hurtful)
    zuri = driver.user("Zuri")
    await driver.request_join(group, zuri)
    await driver.tap(zuri, zuri, "I agree")  # agreeing first; then the admins decide
    await driver.private(musa, "/talk")
    await driver.tap(musa, musa, "An administrator")
    await driver.tap(musa, musa, "Skip")

    # Day 2: Kamau taps the link from /setup. Everything that waited reaches him, in order.
    await driver.advance(DAY)
    await driver.start(kamau, "admin")
    await driver.tap(kamau, kamau, "Exclude as solicitor")
    await driver.tap(kamau, kamau, "No action needed")
    await driver.tap(kamau, kamau, "Approve")
    await driver.tap(kamau, kamau, "Accept")
    await driver.private(kamau, "Hello Musa, I'm here. How are you doing?")
    await driver.private(musa, "Better now, thank you")
    await driver.private(musa, "/end")

    # Day 3: a three-day break for Halima, who has never opened a private chat with the bot.
    await driver.advance(DAY)
    heated = await driver.say(group, halima, "I'm done with this group")
    await driver.say(group, kamau, "/exclude 3d to let things calm down", reply_to=heated)
    await driver.advance(61)  # the group's short confirmation is gone after a minute

    # Day 4: Achieng presses Start; Halima opens a private chat and gets her support message,
    # then appeals: the appeal goes to Achieng, not to Kamau who acted, and he hears the outcome.
    await driver.advance(DAY)
    await driver.start(achieng)
    await driver.start(halima)
    await driver.private(halima, "/appeal I was upset, I would like to come back sooner")
    await driver.tap(achieng, achieng, "Lift the measure")
