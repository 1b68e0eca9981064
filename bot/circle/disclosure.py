"""THE disclosure gate: the one place that decides whether a support person's detail, a
member's help text or their wishes may reach anyone, and the only code that sends them.

A disclosure is allowed only when every one of these holds, checked against the database at the
moment of sending (never against callback data or memory):

* the escalation is being carried out right now (status ``delivering_live`` or
  ``delivering_advance``: moved there atomically, once, so a replay finds nothing to do);
* the person belongs to that escalation's member, was chosen for it, and is not on the member's
  "please never contact" list;
* the consent ledger's newest entry for this member, person and purpose is a ``given`` that has
  not expired — for the live yes of *this* escalation, or the member's advance consent;
* the recipient is the right one: the help text only to the support person's own accepted
  Telegram account; details only to the administrator the escalation names, who is still an
  administrator of the member's group (checked live with Telegram).

Every disclosure is recorded (to whom, what, when, under which consent) and the member is told.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot.circle import consent
from bot.circle.texts import day, when
from bot.delivery.outbox import FAILED, QUEUED, SENT, send_critical
from bot.i18n import Catalogues, Safe
from bot.people import language_of, zone_of
from bot.records.circle import ConsentEntry, Escalation, SupportPerson

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

LIVE = "delivering_live"
ADVANCE = "delivering_advance"


@dataclass(frozen=True)
class Outcome:
    person_id: int
    how: str  # help_sent | help_queued | help_failed | admin_phone | admin_saw | unreachable


async def _admin_still(app: App, escalation: Escalation, recipient_id: int) -> bool:
    if escalation.admin_id is None or recipient_id != escalation.admin_id:
        return False
    if escalation.chat_id is None:
        return False
    try:
        return await app.bot_data.admins.is_admin(
            app.bot, escalation.chat_id, recipient_id, fresh=True
        )
    except TelegramError:
        return False


async def authorise(
    app: App,
    escalation: Escalation,
    person: SupportPerson | None,
    purpose: str,
    *,
    recipient_id: int,
) -> ConsentEntry | None:
    """The consent entry that allows this one disclosure, or ``None`` (then nothing goes out)."""
    data = app.bot_data
    store = data.store
    now = data.clock.epoch()
    if escalation.status == LIVE:
        scope, escalation_id = "live", escalation.id
    elif escalation.status == ADVANCE:
        scope, escalation_id = "advance", None
    else:
        return None
    if person is None or person.member_id != escalation.member_id:
        return None
    if person.id not in escalation.persons:
        return None
    if await store.circle.is_never(escalation.member_id, person.name):
        return None
    entry = await store.ledger.latest(
        escalation.member_id, person.id, purpose, scope, escalation_id
    )
    if consent.has_lapsed(entry, now):
        await consent.expire_lapsed(app, escalation.member_id)
        return None
    if not consent.is_valid(entry, now):
        return None
    if purpose == "help":
        if not person.on_telegram or recipient_id != person.tg_user_id:
            return None
    elif not await _admin_still(app, escalation, recipient_id):
        return None
    return entry


async def begin(app: App, escalation_id: int) -> Escalation | None:
    """Take an approved escalation for carrying out — once. ``None`` if not (or no longer) due."""
    store = app.bot_data.store
    if await store.ledger.move(escalation_id, ("approved",), LIVE) or await store.ledger.move(
        escalation_id, ("advance",), ADVANCE
    ):
        return await store.ledger.escalation(escalation_id)
    return None


async def carry_out(app: App, escalation_id: int) -> list[Outcome] | None:
    """Reach the chosen persons of an approved escalation, through the gate. Once only."""
    escalation = await begin(app, escalation_id)
    if escalation is None:
        return None
    data = app.bot_data
    store = data.store
    texts = data.texts
    member_id = escalation.member_id
    member_lang = await language_of(data, member_id)
    profile = await store.circle.profile(member_id)
    zone = await zone_of(data, escalation.chat_id)
    sender = profile.display_name or texts.t(member_lang, "circle.a_member")
    outcomes: list[Outcome] = []
    notices: list[str] = []
    card: list[str] = []
    admin_lang = (
        await language_of(data, escalation.admin_id) if escalation.admin_id else member_lang
    )
    admin_name = escalation.admin_name or texts.t(member_lang, "circle.an_admin")
    for person_id in escalation.persons:
        person = await store.circle.person(person_id)
        if person is None:
            continue
        helped = False
        if person.on_telegram and profile.help_text and person.tg_user_id is not None:
            entry = await authorise(
                app, escalation, person, "help", recipient_id=person.tg_user_id
            )
            if entry is not None:
                person_lang = await language_of(data, person.tg_user_id)
                result = await send_critical(
                    app,
                    person.tg_user_id,
                    texts.t(
                        person_lang, "circle.help_message", sender=sender, text=profile.help_text
                    ),
                    kind="help_text",
                    member_id=member_id,
                    fail_chat=member_id,
                    fail_text=texts.t(member_lang, "circle.help_undeliverable", name=person.name),
                )
                await _record(app, escalation, person, entry, "person", person.tg_user_id, None)
                notices.append(
                    texts.t(
                        member_lang,
                        "circle.notice_help",
                        person=person.name,
                        time=when(data.clock.epoch(), zone, member_lang),
                        agreed=_agreed(texts, member_lang, entry, zone),
                    )
                )
                how = {SENT: "help_sent", QUEUED: "help_queued", FAILED: "help_failed"}[result]
                outcomes.append(Outcome(person.id, how))
                helped = result != FAILED
        wants_admin = escalation.kind == "admin" or not helped
        if wants_admin and escalation.admin_id is not None:
            entry = await authorise(
                app, escalation, person, "see", recipient_id=escalation.admin_id
            )
            if entry is not None and (person.phone or escalation.kind == "admin"):
                card.append(
                    texts.t(
                        admin_lang,
                        "circle.card_line",
                        name=person.name,
                        phone=person.phone or texts.t(admin_lang, "circle.no_phone"),
                    )
                )
                await _record(
                    app, escalation, person, entry, "admin", escalation.admin_id, admin_name
                )
                notices.append(
                    texts.t(
                        member_lang,
                        "circle.notice_details",
                        admin=admin_name,
                        person=person.name,
                        time=when(data.clock.epoch(), zone, member_lang),
                        agreed=_agreed(texts, member_lang, entry, zone),
                    )
                )
                if not helped:
                    outcomes.append(
                        Outcome(
                            person.id,
                            "admin_phone" if escalation.kind == "member" else "admin_saw",
                        )
                    )
                continue
        if not helped:
            outcomes.append(Outcome(person.id, "unreachable"))
    if card and escalation.admin_id is not None:
        wishes = await _wishes(app, escalation, admin_name, notices, member_lang)
        key = "circle.card_member" if escalation.kind == "member" else "circle.card_concern"
        body = texts.t(admin_lang, key, member=sender, lines=Safe("\n".join(card)))
        if wishes:
            body = Safe(body + "\n\n" + texts.t(admin_lang, "circle.card_wishes", wishes=wishes))
        await send_critical(app, escalation.admin_id, body, kind="admin_card", member_id=member_id)
    if notices:
        await send_critical(
            app,
            member_id,
            texts.t(member_lang, "circle.notice_header", lines=Safe("\n".join(notices))),
            kind="disclosure_notice",
            member_id=member_id,
        )
    await store.ledger.move(escalation.id, (LIVE, ADVANCE), "done")
    return outcomes


async def _wishes(
    app: App,
    escalation: Escalation,
    admin_name: str,
    notices: list[str],
    lang: str,
) -> str | None:
    """With advance consent, the member's wishes go with the details (recorded too)."""
    if escalation.status != ADVANCE or escalation.admin_id is None:
        return None
    store = app.bot_data.store
    for person_id in escalation.persons:
        entry = await store.ledger.latest(escalation.member_id, person_id, "see", "advance", None)
        if consent.is_valid(entry, app.bot_data.clock.epoch()) and entry and entry.wishes:
            await store.ledger.record_disclosure(
                member_id=escalation.member_id,
                person_id=None,
                person_label=None,
                recipient_kind="admin",
                recipient_id=escalation.admin_id,
                recipient_name=admin_name,
                what="wishes",
                consent_id=entry.id,
                consent_at=entry.created_at,
                escalation_id=escalation.id,
            )
            notices.append(app.bot_data.texts.t(lang, "circle.notice_wishes", admin=admin_name))
            return entry.wishes
    return None


def _agreed(texts: Catalogues, lang: str, entry: ConsentEntry, zone: ZoneInfo) -> str:
    if entry.scope == "live":
        return texts.t(lang, "circle.agreed_now", time=when(entry.created_at, zone, lang))
    return texts.t(lang, "circle.agreed_on", date=day(entry.created_at, zone, lang))


async def _record(
    app: App,
    escalation: Escalation,
    person: SupportPerson,
    entry: ConsentEntry,
    recipient_kind: str,
    recipient_id: int,
    recipient_name: str | None,
) -> None:
    await app.bot_data.store.ledger.record_disclosure(
        member_id=escalation.member_id,
        person_id=person.id,
        person_label=person.name,
        recipient_kind=recipient_kind,
        recipient_id=recipient_id,
        recipient_name=recipient_name,
        what="help_text" if recipient_kind == "person" else "details",
        consent_id=entry.id,
        consent_at=entry.created_at,
        escalation_id=escalation.id,
    )
    log.info(
        "disclosure: escalation %s, person %s, to %s (consent %s)",
        escalation.id,
        person.id,
        recipient_kind,
        entry.id,
    )
