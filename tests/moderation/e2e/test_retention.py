"""Issue 11 item 8: retention purges the ended moderation records that /privacy says are
deleted after the retention period; measures in force and the blocklist stay."""

from __future__ import annotations

import re

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

DAY = 86400


async def count(harness: Harness, table: str) -> int:
    rows = await harness.app.bot_data.store.db.fetch_all(f"SELECT COUNT(*) AS n FROM {table}")
    return int(rows[0]["n"])


async def test_ended_moderation_records_are_purged_after_the_stated_days(
    harness: Harness, cast: Cast
) -> None:
    await harness.private(cast.juma, "/privacy")
    found = re.search(r"deleted after (\d+) days", harness.said(cast.juma)[-1])
    assert found is not None
    days = int(found.group(1))

    said = await harness.say(cast.group, cast.juma, "you never listen")
    hurtful = await harness.say(cast.group, cast.neema, "nobody cares here")
    await harness.say(cast.group, cast.juma, "/report", reply_to=hurtful)
    await harness.tap(cast.owner, cast.owner, "No action needed")
    await harness.say(cast.group, cast.owner, "/warn please be kind", reply_to=said)
    await harness.say(cast.group, cast.owner, f"/mute {cast.neema.id} 1h")
    await harness.say(cast.group, cast.owner, "/exclude 1d a pause", reply_to=said)
    stays = harness.user("Still Out")
    await harness.join(cast.group, stays)
    await harness.say(cast.group, cast.owner, f"/exclude {stays.id} 300d")
    seller = harness.user("Seller")
    await harness.join(cast.group, seller)
    await harness.say(cast.group, cast.owner, f"/solicitor {seller.id}")
    for table in ("mod_warnings", "mod_sanctions", "mod_reports", "mod_report_reporters"):
        assert await count(harness, table) > 0, table

    await harness.advance(2 * DAY)  # the mute and the short exclusion end
    await harness.advance((days - 3) * DAY)  # not yet: within the stated period
    assert await count(harness, "mod_warnings") == 1
    await harness.advance(5 * DAY)  # past it (also for what ended on day 2): the daily purge

    store = harness.app.bot_data.store
    assert await count(harness, "mod_warnings") == 0
    assert await count(harness, "mod_reports") == 0
    assert await count(harness, "mod_report_reporters") == 0
    assert await count(harness, "mod_copies") == 0
    rows = await store.db.fetch_all("SELECT user_id, kind, status FROM mod_sanctions")
    assert [(r["user_id"], r["kind"], r["status"]) for r in rows] == [
        (stays.id, "exclude", "active")
    ]
    assert await store.moderation.is_blocked(seller.id)
