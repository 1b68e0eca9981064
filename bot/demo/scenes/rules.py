"""Scene: the group agrees its own rules; a newcomer is greeted, reads, agrees, and can post;
an administrator gives a gentle reminder; later the group is reminded on its schedule."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.demo.driver import Driver
from bot.rules.reminders import REMINDER

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

RULES = (
    "1. Keep it private — what is shared here stays here, and so do names.\n"
    "2. Ask before advising — share what helped you; each person decides for themselves.\n"
    "3. No selling or recruiting — we are peers here, not clients."
)


async def play(driver: Driver) -> None:
    wanjiru = driver.user("Wanjiru")
    juma = driver.user("Juma")
    neema = driver.user("Neema")
    group = await driver.group("Pamoja Ground Rules Group", owner=wanjiru, members=[juma])
    await driver.say(group, wanjiru, f"/setrules\n{RULES}")
    # The weekly reminder, set for the coming hour so the demo need not wait a week.
    soon = (driver.clock.now() + timedelta(hours=1)).astimezone(ZoneInfo("Africa/Nairobi"))
    await driver.say(group, wanjiru, f"/settings reminders {DAYS[soon.weekday()]} {soon:%H}:00")

    driver.emu.join(group, neema)  # read-only until Neema agrees
    await driver.settle()
    welcome = driver.last(group)
    agree = next(str(b["callback_data"]) for b in welcome.buttons() if b.get("callback_data"))
    await driver.press(juma, group, welcome.message_id, agree)  # not Juma's button
    await driver.press(neema, group, welcome.message_id, agree)
    await driver.say(group, neema, "Hello everyone. I mostly want to listen for now.")

    advice = await driver.say(group, juma, "Neema, you should just stop your medication.")
    await driver.say(group, wanjiru, "/remind 2", reply_to=advice)

    pending = await driver.app.bot_data.store.scheduled.pending(REMINDER)
    due = min(a.due_at for a in pending if a.chat_id == group.id)
    await driver.advance(due - driver.clock.epoch() + 1)
