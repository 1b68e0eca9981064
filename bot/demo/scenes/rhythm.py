"""Scene: the group's rhythm. An administrator schedules the monthly session in its own forum
topic; a member asks for a reminder; the session opens on time and the facilitator steps
through it, skipping the optional parts; a member answers the anonymous pulse; the group
votes on a rules change, which an administrator adopts."""

from __future__ import annotations

from bot.demo.driver import Driver


async def play(driver: Driver) -> None:
    wanjiru = driver.user("Wanjiru")
    otieno = driver.user("Otieno")
    neema = driver.user("Neema")
    baraka = driver.user("Baraka")
    group = await driver.group("Pamoja Peer Circle", owner=wanjiru, admins=[otieno])
    for member in (neema, baraka):
        await driver.join(group, member)
    for person in (otieno, neema):
        await driver.start(person)

    topic = driver.emu.create_topic(group, "Monthly circle", by=otieno)
    await driver.settle()
    await driver.say(
        group, otieno, "/session add monthly sat 15:00 Monthly circle", thread_id=topic
    )
    sessions = await driver.app.bot_data.store.sessions.of_group(group.id)
    session = sessions[0]
    await driver.start(neema, f"remind_{session.id}")
    await driver.tap(neema, neema, "An hour before")

    await driver.advance((session.next_at or 0) - driver.clock.epoch())
    await driver.tap(otieno, group, "Next: Sharing")
    await driver.say(
        group, neema, "This month I went back to the walking group. It helped.", thread_id=topic
    )
    await driver.tap(otieno, group, "Skip: Our shared work")
    await driver.tap(otieno, group, "Skip: A topic of its own")
    await driver.tap(otieno, group, "Next: Closing round")
    await driver.tap(otieno, group, "Next: Ending")
    await driver.tap(otieno, group, "Close the session")
    closing = driver.last(group).buttons()[0]
    await driver.start(neema, str(closing.get("url", "")).rsplit("start=", 1)[-1])
    await driver.tap(neema, neema, "Yes")
    await driver.tap(neema, neema, "Nothing to add")

    await driver.say(
        group,
        otieno,
        "/rulespoll 24h\n1. We listen without judging.\n2. What is shared here stays here.\n"
        "3. We speak from our own experience.",
    )
    poll = driver.emu.last_bot_message(group)
    if poll is not None:
        for voter in (neema, baraka):
            driver.emu.vote(group, voter, poll.message_id, 0)
    await driver.settle()
    await driver.advance(24 * 3600 + 1)
    await driver.tap(otieno, otieno, "Adopt")
