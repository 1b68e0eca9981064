"""THE disclosure gate: the one place that decides whether a support person's detail, a
member's help text or their wishes may reach anyone, and the only code that sends them.

A disclosure is allowed only when every one of these holds, checked against the database and
Telegram at the moment of sending (never against callback data or memory):

* the escalation is being carried out right now (status ``delivering_live`` or
  ``delivering_advance``: moved there atomically, once, so a replay finds nothing to do);
* the person belongs to that escalation's member, was chosen for it, and is not on the member's
  "please never contact" list;
* the consent ledger's newest entry for this member, person and purpose is a ``given`` that has
  not expired — for the live yes of *this* escalation (exactly the purposes the member ticked),
  or the member's advance consent;
* the recipient is the right one: the help text only to the support person's own Telegram
  account, accepted by them and confirmed by the member; details only to the administrator the
  escalation names, and only when (``group_refusal``, ``admin_refusal``):

  - the member chose that group for this request (the question named it in a way a lookalike
    group cannot copy: its public link, or its member count and when the member joined);
  - the group is registered with /setup and the bot is still in it (asked live);
  - the member is in it now (asked live: member, administrator, owner, or restricted *and*
    still in the chat) and does not sit at its rules gate because someone else added them;
  - the recipient is an administrator of it now (Telegram's list, fresh), as their own
    account (one who posts anonymously in the group is reached privately as themselves; the
    anonymous sender account itself never is).

Anything else is refused here and recorded (``circle_refusals``: reason codes only). Every
disclosure is recorded as ``pending`` and becomes ``seen`` only once Telegram accepted the
message that carries it (``undelivered`` if it never can be); the member is told who saw what.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot.adapters.admins import ANONYMOUS_ADMIN_ID
from bot.adapters.presence import is_present
from bot.circle import consent
from bot.circle.texts import day, when
from bot.delivery import outbox
from bot.delivery.outbox import FAILED, QUEUED, SENT, Result, delivering_now, send_critical
from bot.groups import membership
from bot.i18n import Catalogues, Safe
from bot.people import language_of, zone_of
from bot.records.circle import ConsentEntry, Disclosure, Escalation, SupportPerson
from bot.records.outbox import Outgoing

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.context import App

    Then = Callable[[Escalation, list["Outcome"]], Awaitable[None]]

log = logging.getLogger(__name__)

LIVE = "delivering_live"
ADVANCE = "delivering_advance"
MAX_GROUPS_ASKED = 30  # groups asked about live for one member (a deployment has a few)


@dataclass(frozen=True)
class Outcome:
    person_id: int
    how: str  # help_sent | help_queued | help_failed | admin_phone | admin_saw |
    #           admin_queued | admin_failed | unreachable


# -- who may receive: decided here, live, at the moment it matters ---------------------------


@dataclass(frozen=True)
class Place:
    """A group whose administrators may be asked to help the member, as the member is shown
    it: a title anyone can copy, with what a lookalike cannot (public link, or the number of
    members and when the member joined)."""

    chat_id: int
    title: str
    username: str | None
    members: int | None
    joined_at: int | None


def describe(texts: Catalogues, lang: str, place: Place, zone: ZoneInfo) -> Safe:
    """The group as the member reads it in a question."""
    if place.username:
        return texts.t(lang, "consent.place_public", title=place.title, link=place.username)
    if place.joined_at is not None:
        return texts.t(
            lang,
            "consent.place_private_joined",
            title=place.title,
            count=place.members if place.members is not None else "?",
            date=day(place.joined_at, zone, lang),
        )
    return texts.t(
        lang,
        "consent.place_private",
        title=place.title,
        count=place.members if place.members is not None else "?",
    )


async def _present(app: App, chat_id: int, user_id: int) -> bool | None:
    """Whether the person is in the chat now, asked live (``None``: Telegram would not say)."""
    try:
        member = await app.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return None
    present = is_present(member)
    if user_id != app.bot.id:
        await membership.present_now(
            app.bot_data, chat_id, user_id, str(member.status), present=present
        )
    return present


async def group_refusal(app: App, chat_id: int | None, member_id: int) -> str | None:
    """Why this group's administrators may not receive anything about the member now
    (``None``: they may). Asks Telegram, never a memory."""
    if chat_id is None:
        return "no_group"
    store = app.bot_data.store
    group = await store.groups.get(chat_id)
    if group is None or not group.registered:
        return "not_set_up"
    if not group.active:
        return "bot_gone"
    # the member first: in most groups of a deployment they are not, and one call says so
    if not await _present(app, chat_id, member_id):
        return "member_not_present"
    if not await _present(app, chat_id, app.bot.id):
        return "bot_gone"
    known = await store.users.membership(chat_id, member_id)
    if (
        known is not None
        and known.added_by is not None
        and await store.rules.gate_get(chat_id, member_id) is not None
    ):
        return "added_and_gated"
    return None


async def admin_refusal(
    app: App, chat_id: int | None, admin_id: int, member_id: int
) -> str | None:
    """Why this person may not receive anything about the member as an administrator of the
    group now (``None``: they may) — the group's checks, then Telegram's fresh list."""
    reason = await group_refusal(app, chat_id, member_id)
    if reason is not None or chat_id is None:
        return reason or "no_group"
    if admin_id in (member_id, ANONYMOUS_ADMIN_ID):
        return "not_admin"
    try:
        admins = await app.bot_data.admins.admins(app.bot, chat_id, fresh=True)
    except TelegramError:
        return "admins_unknown"
    if admin_id not in admins.user_ids:
        return "not_admin"
    return None


async def place(app: App, chat_id: int, member_id: int) -> Place | None:
    """The group as the member is shown it, if its administrators may help them now."""
    if await group_refusal(app, chat_id, member_id) is not None:
        return None
    store = app.bot_data.store
    group = await store.groups.get(chat_id)
    if group is None:
        return None
    username: str | None = None
    count: int | None = None
    try:
        username = (await app.bot.get_chat(chat_id)).username
        count = await app.bot.get_chat_member_count(chat_id)
    except TelegramError:
        pass
    known = await store.users.membership(chat_id, member_id)
    return Place(
        chat_id=chat_id,
        title=group.title,
        username=username,
        members=count,
        joined_at=known.joined_at if known else None,
    )


async def places(app: App, member_id: int) -> list[Place]:
    """Every group whose administrators may help the member now: registered groups the member
    is in (asked live, so members who were there before the bot count too)."""
    data = app.bot_data
    known = await data.store.users.groups_of(member_id)
    registered = [g.chat_id for g in await data.store.groups.active() if g.registered]
    ordered = [c for c in known if c in registered] + [c for c in registered if c not in known]
    found: list[Place] = []
    for chat_id in ordered[:MAX_GROUPS_ASKED]:
        found_place = await place(app, chat_id, member_id)
        if found_place is not None:
            found.append(found_place)
    return found


async def eligible_admins(app: App, chat_id: int, member_id: int) -> list[int]:
    """The group's administrators who may be asked to help the member now and whom the bot
    can write to privately (as their own account; never the member themselves)."""
    if await group_refusal(app, chat_id, member_id) is not None:
        return []
    data = app.bot_data
    try:
        admins = await data.admins.admins(app.bot, chat_id, fresh=True)
    except TelegramError:
        return []
    found = []
    for admin_id in sorted(admins.user_ids):
        if admin_id == member_id:
            continue
        person = await data.store.users.get(admin_id)
        if person is not None and person.reachable:
            found.append(admin_id)
    return found


async def bind_advance(app: App, member_id: int) -> list[Place]:
    """An advance decision was just made: it holds for the administrators of the groups that
    may help the member now (shown to them), never for a group joined later."""
    found = await places(app, member_id)
    await app.bot_data.store.ledger.set_advance_groups(member_id, [p.chat_id for p in found])
    return found


async def may_tell_admin(app: App, escalation: Escalation, purpose: str = "notice") -> bool:
    """Whether the escalation's administrator may still hear about it (a demoted one hears
    nothing more). A refusal is recorded."""
    if escalation.admin_id is None:
        return False
    reason = await admin_refusal(
        app, escalation.chat_id, escalation.admin_id, escalation.member_id
    )
    if reason is None:
        return True
    await refuse(app, escalation, purpose, escalation.admin_id, reason)
    return False


async def refuse(
    app: App, escalation: Escalation, purpose: str, recipient_id: int | None, reason: str
) -> None:
    """Record what the gate refused (ids and a reason code only)."""
    await app.bot_data.store.ledger.record_refusal(
        member_id=escalation.member_id,
        escalation_id=escalation.id,
        chat_id=escalation.chat_id,
        recipient_id=recipient_id,
        purpose=purpose,
        reason=reason,
    )
    log.info("gate refused: escalation %s, %s (%s)", escalation.id, purpose, reason)


# -- the one decision -----------------------------------------------------------------------


async def authorise(
    app: App,
    escalation: Escalation,
    person: SupportPerson | None,
    purpose: str,
    *,
    recipient_id: int,
) -> ConsentEntry | None:
    """The consent entry that allows this one disclosure, or ``None`` (then nothing goes out,
    and the refusal is recorded)."""
    data = app.bot_data
    store = data.store
    now = data.clock.epoch()
    if escalation.status == LIVE:
        scope, escalation_id = "live", escalation.id
    elif escalation.status == ADVANCE:
        scope, escalation_id = "advance", None
    else:
        await refuse(app, escalation, purpose, recipient_id, "not_carrying_out")
        return None
    if person is None or person.member_id != escalation.member_id:
        await refuse(app, escalation, purpose, recipient_id, "not_their_person")
        return None
    if person.id not in escalation.persons:
        await refuse(app, escalation, purpose, recipient_id, "not_chosen")
        return None
    if await store.circle.is_never(escalation.member_id, person.name):
        await refuse(app, escalation, purpose, recipient_id, "never_contact")
        return None
    entry = await store.ledger.latest(
        escalation.member_id, person.id, purpose, scope, escalation_id
    )
    if consent.has_lapsed(entry, now):
        await consent.expire_lapsed(app, escalation.member_id)
        await refuse(app, escalation, purpose, recipient_id, "consent_expired")
        return None
    if not consent.is_valid(entry, now):
        await refuse(app, escalation, purpose, recipient_id, "no_consent")
        return None
    if purpose == "help":
        if not person.on_telegram or recipient_id != person.tg_user_id:
            await refuse(app, escalation, purpose, recipient_id, "not_their_account")
            return None
        return entry
    reason = await _admin_reason(app, escalation, recipient_id)
    if reason is not None:
        await refuse(app, escalation, purpose, recipient_id, reason)
        return None
    return entry


async def _admin_reason(app: App, escalation: Escalation, recipient_id: int) -> str | None:
    if escalation.admin_id is None or recipient_id != escalation.admin_id:
        return "not_the_admin"
    # A live yes names the group (the member chose it); an advance decision holds for the
    # groups the member was shown when deciding — both still pass every check below.
    if escalation.status == LIVE and not escalation.chat_chosen:
        return "group_not_chosen"
    if escalation.status == ADVANCE and escalation.chat_id not in (
        await app.bot_data.store.ledger.advance_groups(escalation.member_id)
    ):
        return "group_not_chosen"
    return await admin_refusal(app, escalation.chat_id, recipient_id, escalation.member_id)


async def begin(app: App, escalation_id: int, *, resuming: bool = False) -> Escalation | None:
    """Take an approved escalation for carrying out — once. ``None`` if not (or no longer) due.

    ``resuming`` (at start-up only): one the bot stopped while reaching people is taken too."""
    store = app.bot_data.store
    if resuming:
        left = await store.ledger.escalation(escalation_id)
        if left is not None and left.status in (LIVE, ADVANCE):
            return left
    if await store.ledger.move(escalation_id, ("approved",), LIVE) or await store.ledger.move(
        escalation_id, ("advance",), ADVANCE
    ):
        return await store.ledger.escalation(escalation_id)
    return None


@dataclass
class _CardLine:
    person: SupportPerson
    entry: ConsentEntry
    phone_ok: bool
    line: str
    disclosure_id: int = 0


def _result(disclosure: Disclosure) -> Result:
    """How a disclosure's message stands (it was written with its message, in one commit)."""
    if disclosure.status == "seen":
        return SENT
    return FAILED if disclosure.status == "undelivered" else QUEUED


async def _written(app: App, escalation: Escalation) -> dict[tuple[int | None, str], Disclosure]:
    """The disclosures already written for this escalation (a start-up after the bot stopped
    part-way), by person and recipient: they are not made again."""
    return {
        (d.person_id, d.recipient_kind): d
        for d in await app.bot_data.store.ledger.disclosures(escalation.member_id)
        if d.escalation_id == escalation.id
    }


async def carry_out(
    app: App, escalation_id: int, *, resuming: bool = False, then: Then | None = None
) -> list[Outcome] | None:
    """Reach the chosen persons of an approved escalation, through the gate. Once only.

    Each person's disclosure is written with the message that carries it, in one commit, so
    after a stop part-way (``resuming``, at start-up) those already reached are not reached
    again and the others are. ``then`` (what to tell the member) is written in the same
    commit as the escalation's end."""
    escalation = await begin(app, escalation_id, resuming=resuming)
    if escalation is None:
        return None
    written = await _written(app, escalation)
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
    card: list[_CardLine] = []
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
                before = written.get((person.id, "person"))
                if before is not None:
                    result = _result(before)
                else:
                    person_lang = await language_of(data, person.tg_user_id)
                    async with store.db.transaction():
                        disclosure_id = await _record(
                            app, escalation, person, entry, "person", person.tg_user_id, None
                        )
                        row = await outbox.enqueue(
                            app,
                            person.tg_user_id,
                            texts.t(
                                person_lang,
                                "circle.help_message",
                                sender=sender,
                                text=profile.help_text,
                            ),
                            kind="help_text",
                            member_id=member_id,
                            fail_chat=member_id,
                            fail_text=texts.t(
                                member_lang, "circle.help_undeliverable", name=person.name
                            ),
                            disclosures=[disclosure_id],
                        )
                    result = await outbox.deliver_now(app, row)
                if result == SENT:
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
        if wants_admin and escalation.admin_id is None:
            reason = "no_group" if escalation.chat_id is None else "no_admin"
            await refuse(app, escalation, "see", None, reason)
        if wants_admin and escalation.admin_id is not None:
            entry = await authorise(
                app, escalation, person, "see", recipient_id=escalation.admin_id
            )
            if entry is not None and (person.phone or escalation.kind == "admin"):
                phone_ok = (
                    await authorise(
                        app, escalation, person, "contact", recipient_id=escalation.admin_id
                    )
                    is not None
                )
                key = "circle.card_line" if phone_ok else "consent.card_line_see_only"
                line = texts.t(
                    admin_lang,
                    key,
                    name=person.name,
                    phone=person.phone or texts.t(admin_lang, "circle.no_phone"),
                )
                card.append(_CardLine(person, entry, phone_ok, line))
                continue
        if not helped and not any(o.person_id == person.id for o in outcomes):
            outcomes.append(Outcome(person.id, "unreachable"))
    if card and escalation.admin_id is not None:
        outcomes += await _send_card(
            app,
            escalation,
            card,
            _Card(sender, admin_name, admin_lang, member_lang, zone),
            notices,
            written,
        )
    # The member's notice, what ``then`` tells, and the end: one commit (delivered after it).
    async with outbox.together(app):
        await tell_member(app, member_id, member_lang, notices)
        if then is not None:
            await then(escalation, outcomes)
        await store.ledger.move(escalation.id, (LIVE, ADVANCE), "done")
    return outcomes


@dataclass(frozen=True)
class _Card:
    """Who the card is from and to, in which languages and time zone."""

    sender: str
    admin_name: str
    admin_lang: str
    member_lang: str
    zone: ZoneInfo


async def _send_card(
    app: App,
    escalation: Escalation,
    card: list[_CardLine],
    who: _Card,
    notices: list[str],
    written: dict[tuple[int | None, str], Disclosure],
) -> list[Outcome]:
    """One card to the administrator; its disclosures count as seen only once it is accepted.
    Its disclosures and the card are written in one commit (``written``: so they were before
    a stop part-way, and the card is not sent again)."""
    data = app.bot_data
    texts = data.texts
    admin_id = escalation.admin_id
    admin_name, zone, member_lang = who.admin_name, who.zone, who.member_lang
    assert admin_id is not None  # noqa: S101 - checked by the caller
    before = next((d for (_, kind), d in written.items() if kind == "admin"), None)
    if before is not None:
        result = _result(before)
        with_wishes = (None, "admin") in written
    else:
        row, with_wishes = await _write_card(app, escalation, card, who, admin_id)
        result = await outbox.deliver_now(app, row)
    outcomes = []
    for line in card:
        if result == SENT:
            notices.append(
                texts.t(
                    member_lang,
                    "circle.notice_details",
                    admin=admin_name,
                    person=line.person.name,
                    time=when(data.clock.epoch(), zone, member_lang),
                    agreed=_agreed(texts, member_lang, line.entry, zone),
                )
            )
            phoning = escalation.kind == "member" and line.phone_ok
            how = "admin_phone" if phoning else "admin_saw"
        else:
            how = "admin_queued" if result == QUEUED else "admin_failed"
        outcomes.append(Outcome(line.person.id, how))
    if with_wishes and result == SENT:
        notices.append(texts.t(member_lang, "circle.notice_wishes", admin=admin_name))
    return outcomes


async def _write_card(
    app: App, escalation: Escalation, card: list[_CardLine], who: _Card, admin_id: int
) -> tuple[int, bool]:
    """The card's disclosures, the card and the turn it counts for, in one commit; its row,
    and whether it carries the member's wishes."""
    data = app.bot_data
    texts = data.texts
    async with data.store.db.transaction():
        ids = []
        for line in card:
            line.disclosure_id = await _record(
                app, escalation, line.person, line.entry, "admin", admin_id, who.admin_name
            )
            ids.append(line.disclosure_id)
        wishes, wishes_id = await _wishes(app, escalation, who.admin_name)
        if wishes_id is not None:
            ids.append(wishes_id)
        key = "circle.card_member" if escalation.kind == "member" else "circle.card_concern"
        lines = Safe("\n".join(c.line for c in card))
        body = texts.t(who.admin_lang, key, member=who.sender, lines=lines)
        if wishes:
            wished = texts.t(who.admin_lang, "circle.card_wishes", wishes=wishes)
            body = Safe(body + "\n\n" + wished)
        row = await outbox.enqueue(
            app, admin_id, body, kind="admin_card", member_id=escalation.member_id, disclosures=ids
        )
        if escalation.chat_id is not None and escalation.kind == "member":
            await data.store.ledger.card_given(escalation.chat_id, admin_id)
    return row, wishes_id is not None


async def _wishes(
    app: App, escalation: Escalation, admin_name: str
) -> tuple[str | None, int | None]:
    """With advance consent, the member's wishes go with the details (recorded too)."""
    if escalation.status != ADVANCE or escalation.admin_id is None:
        return None, None
    store = app.bot_data.store
    for person_id in escalation.persons:
        entry = await store.ledger.latest(escalation.member_id, person_id, "see", "advance", None)
        if consent.is_valid(entry, app.bot_data.clock.epoch()) and entry and entry.wishes:
            disclosure_id = await store.ledger.record_disclosure(
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
            return entry.wishes, disclosure_id
    return None, None


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
) -> int:
    """A disclosure about to be carried (``pending`` until its message is accepted)."""
    disclosure_id = await app.bot_data.store.ledger.record_disclosure(
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
    return disclosure_id


async def tell_member(app: App, member_id: int, lang: str, notices: Sequence[str]) -> None:
    """The member's notice of who received what (nothing if nobody did)."""
    if notices:
        await send_critical(
            app,
            member_id,
            app.bot_data.texts.t(lang, "circle.notice_header", lines=Safe("\n".join(notices))),
            kind="disclosure_notice",
            member_id=member_id,
        )


async def carried_delivered(app: App, message: Outgoing, _telegram_id: int) -> None:
    """A help text or an administrator's card Telegram accepted only on a later attempt (the
    outbox's worker, not the request that wrote it): the member learns who saw what now."""
    if not delivering_now(message.id):
        await delivered_later(app, message.id)


async def delivered_later(app: App, message_id: int) -> None:
    """A message carrying disclosures was accepted on a later attempt: they are ``seen`` now
    (the storage did that), and the member is told who saw what, and when."""
    data = app.bot_data
    store = data.store
    member_id, ids = await store.ledger.carried(message_id)
    if member_id is None:
        return
    lang = await language_of(data, member_id)
    texts = data.texts
    zone = await zone_of(data, None)
    notices = []
    for record in await store.ledger.disclosures(member_id):
        if record.id not in ids or record.status != "seen":
            continue
        entry = await store.ledger.consent(record.consent_id)
        agreed = (
            _agreed(texts, lang, entry, zone)
            if entry
            else texts.t(lang, "circle.agreed_on", date=day(record.consent_at, zone, lang))
        )
        moment = when(record.created_at, zone, lang)
        if record.what == "help_text":
            notices.append(
                texts.t(
                    lang,
                    "circle.notice_help",
                    person=record.person_label or "?",
                    time=moment,
                    agreed=agreed,
                )
            )
        elif record.what == "details":
            notices.append(
                texts.t(
                    lang,
                    "circle.notice_details",
                    admin=record.recipient_name or texts.t(lang, "circle.an_admin"),
                    person=record.person_label or "?",
                    time=moment,
                    agreed=agreed,
                )
            )
        else:
            notices.append(
                texts.t(
                    lang,
                    "circle.notice_wishes",
                    admin=record.recipient_name or texts.t(lang, "circle.an_admin"),
                )
            )
    await tell_member(app, member_id, lang, notices)
