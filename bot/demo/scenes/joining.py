"""Scene: join modes. In approval mode an applicant agrees to the rules first and an
administrator then approves; in invitation mode an admin makes a personal single-use link
with /invite, and a request without one is declined kindly. A solicitor who is in two groups
is removed from both at once."""

from __future__ import annotations

import re

from bot.demo.driver import Driver

LINK = re.compile(r"https://t\.me/\+\S+")


async def play(driver: Driver) -> None:
    achieng = driver.user("Achieng")
    kevin, faith, stranger = driver.user("Kevin"), driver.user("Faith"), driver.user("Stranger")
    seller = driver.user("Coach Sam", username="coach_sam")
    closed = await driver.group(
        "Pamoja Approval Group", owner=achieng, members=[seller], join_by_request=True
    )
    await driver.start(achieng)
    await driver.say(closed, achieng, "/settings join approval")

    # Approval: Kevin asks, reads the rules and agrees; only then is Achieng asked.
    await driver.request_join(closed, kevin)
    await driver.tap(kevin, kevin, "I agree")
    await driver.tap(achieng, achieng, "Approve")

    # Invitation: a request without a personal link is declined kindly; a link lets Faith in.
    invited = await driver.group(
        "Pamoja Invitation Group", owner=achieng, members=[seller], join_by_request=True
    )
    await driver.say(invited, achieng, "/settings join invitation")
    await driver.request_join(invited, stranger)
    await driver.say(invited, achieng, "/invite for Faith")
    found = LINK.search(driver.last(achieng).text or "")
    if found is not None:
        await driver.open_link(faith, found.group(0))
        await driver.agree_to_rules(invited, faith)

    # A solicitor in both groups, named by username: removed from both at once.
    advert = await driver.say(closed, seller, "Life coaching, KSh 2000 a session. DM me!")
    await driver.say(closed, achieng, "/solicitor selling sessions", reply_to=advert)
