"""Data rights: what ``/mydata`` exports and ``/forgetme`` erases, section by section.

Each feature contributes a section (an exporter returning JSON-ready data, and optionally an
eraser) to the one ordered list ``SECTIONS`` at the end of this module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.context import App, BotData
from bot.delivery import outbox
from bot.peers import buddies
from bot.people import language_of

Exporter = Callable[[BotData, int], Awaitable[Any]]
Eraser = Callable[[BotData, int], Awaitable[None]]


@dataclass(frozen=True)
class DataSection:
    name: str
    export: Exporter
    erase: Eraser | None = None


def sections() -> tuple[DataSection, ...]:
    return SECTIONS


async def export(data: BotData, user_id: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "about": "Everything Pamoja holds about you.",
        "user_id": user_id,
        "exported_at": data.clock.epoch(),
    }
    for section in sections():
        result[section.name] = await section.export(data, user_id)
    return result


async def erase(data: BotData, user_id: int) -> None:
    """Everything about the person, in one commit: a kill part-way erases nothing (and the
    ``/forgetme`` tap, sent again, erases it all), never half."""
    async with data.store.db.transaction():
        for section in sections():
            if section.erase is not None:
                await section.erase(data, user_id)
        await data.store.audit.anonymise_person(user_id)
        # Nothing is awaited from a person who is forgotten (a half-written answer, a topic).
        await data.store.awaiting.clear(user_id)
        # Last, what only said who they are: their @username's digest, their finished timed
        # work (a measure still in force keeps its own), their record and memberships.
        await data.store.handles.forget_person(user_id)
        await data.store.handled.forget_person(user_id)
        await data.store.outbox.forget_person(user_id)
        await data.store.scheduled.forget_person(user_id, keep_pending="moderation.")
        await data.store.users.forget_person(user_id)


@dataclass(frozen=True)
class Farewell:
    """Who to tell, after /forgetme, that they no longer support this member (if asked to)."""

    member_name: str | None
    supporters: tuple[int, ...]


async def forget(data: BotData, user_id: int) -> Farewell:
    """``/forgetme``: erase everything, remembering only whom the member may want told."""
    store = data.store
    profile = await store.circle.profile(user_id)
    supporters = tuple(
        p.tg_user_id for p in await store.circle.persons(user_id) if p.on_telegram and p.tg_user_id
    )
    await erase(data, user_id)
    return Farewell(profile.display_name, supporters)


async def forget_and_tell(app: App, user_id: int, *, tell: bool) -> None:
    """``/forgetme`` confirmed: the erasure, the buddy's notice (if they had one) and (if
    asked) the support persons' notices are one commit, the notices delivered after it — a
    kill never leaves one without the other."""
    async with outbox.together(app):
        await buddies.farewell(app, user_id)  # a buddy is told kindly, never left wondering
        farewell = await forget(app.bot_data, user_id)
        if tell:
            await tell_supporters(app, farewell)


async def tell_supporters(app: App, farewell: Farewell) -> None:
    """Each support person on Telegram learns, in their language, that they are not listed."""
    data = app.bot_data
    for person_id in farewell.supporters:
        lang = await language_of(data, person_id)
        await outbox.send_critical(
            app,
            person_id,
            data.texts.t(
                lang,
                "circle.no_longer_listed",
                member=farewell.member_name or data.texts.t(lang, "circle.a_member"),
            ),
            kind="notice",
        )


# -- the sections this feature knows ---------------------------------------------------------


async def _circle(data: BotData, user_id: int) -> dict[str, Any]:
    store = data.store
    profile = await store.circle.profile(user_id)
    return {
        "support_persons": [
            {
                "name": p.name,
                "relationship": p.relationship,
                "phone": p.phone,
                "what_helps": p.notes,
                "already_asked": p.asked,
                "telegram": p.tg_status,
                "added_at": p.created_at,
            }
            for p in await store.circle.persons(user_id)
        ],
        "never_contact": [
            {"name": n.name, "relationship": n.relationship}
            for n in await store.circle.never(user_id)
        ],
        "help_text": profile.help_text,
        "name_shown_to_your_people": profile.display_name,
    }


async def _consents(data: BotData, user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "person": c.person_id,
            "purpose": c.purpose,
            "scope": c.scope,
            "escalation": c.escalation_id,
            "event": c.event,
            "expires_at": c.expires_at,
            "wait_minutes": c.wait_minutes,
            "wishes": c.wishes,
            "at": c.created_at,
        }
        for c in await data.store.ledger.history(user_id)
    ]


async def _disclosures(data: BotData, user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "person": d.person_label,
            "to": d.recipient_kind,
            "to_name": d.recipient_name,
            "what": d.what,
            "consent": d.consent_id,
            "consent_given_at": d.consent_at,
            "escalation": d.escalation_id,
            "at": d.created_at,
            "delivered": d.status,
        }
        for d in await data.store.ledger.disclosures(user_id)
    ]


async def _refusals(data: BotData, user_id: int) -> list[dict[str, Any]]:
    """What the gate refused to let anyone receive about you, and why (reason codes)."""
    return await data.store.ledger.refusals(user_id)


async def _escalations(data: BotData, user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "started_by": "you" if e.kind == "member" else "an administrator",
            "status": e.status,
            "at": e.created_at,
        }
        for e in await data.store.ledger.escalations(user_id)
    ]


async def _support_person_for(data: BotData, user_id: int) -> int:
    return len(await data.store.circle.supporting(user_id))


async def _memberships(data: BotData, user_id: int) -> list[dict[str, Any]]:
    return await data.store.ledger.memberships(user_id)


async def _moderation(data: BotData, user_id: int) -> list[dict[str, Any]]:
    return await data.store.ledger.audit_about(user_id)


async def _account(data: BotData, user_id: int) -> dict[str, Any] | None:
    return await data.store.ledger.user_record(user_id)


async def _erase_circle(data: BotData, user_id: int) -> None:
    circle = data.store.circle
    await circle.erase_member(user_id)
    # As someone else's support person, they step down (that member's entry stays theirs).
    for entry in await circle.supporting(user_id):
        await circle.set_telegram(entry.id, "stepped_down", None)


async def _username(data: BotData, user_id: int) -> dict[str, Any]:
    return {
        "kept": await data.store.handles.known(user_id),
        "what": "a one-way fingerprint of your @username (not the name itself), so an "
        "administrator can name you in a command; it cannot be read back",
    }


async def _erase_account(data: BotData, user_id: int) -> None:
    await data.store.ledger.erase_user_record(user_id)


async def _one_to_one(data: BotData, user_id: int) -> dict[str, Any]:
    return await data.store.talk.export_person(user_id)


async def _erase_one_to_one(data: BotData, user_id: int) -> None:
    await data.store.talk.forget_person(user_id)


async def _rules(data: BotData, user_id: int) -> dict[str, Any]:
    return await data.store.rules.export_person(user_id)


async def _erase_rules(data: BotData, user_id: int) -> None:
    await data.store.rules.forget_person(user_id)


async def _moderation_measures(data: BotData, user_id: int) -> dict[str, Any]:
    return await data.store.moderation.export_person(user_id)


async def _erase_moderation(data: BotData, user_id: int) -> None:
    await data.store.moderation.forget_person(user_id)
    data.moderation.tracker.forget_sender(user_id)


async def _sessions(data: BotData, user_id: int) -> dict[str, Any]:
    return await data.store.sessions.export_person(user_id)


async def _erase_sessions(data: BotData, user_id: int) -> None:
    await data.store.sessions.forget_person(user_id)


async def _peers(data: BotData, user_id: int) -> dict[str, Any]:
    return await data.store.peers.export_person(user_id)


async def _kind_words(data: BotData, user_id: int) -> dict[str, Any]:
    return await data.store.kindwords.export_person(user_id)


async def _erase_kind_words(data: BotData, user_id: int) -> None:
    await data.store.kindwords.forget_person(user_id)


async def _erase_peers(data: BotData, user_id: int) -> None:
    await data.store.peers.forget_person(user_id)
    data.quiet_watch.unwatch(user_id)


# Every section of /mydata, in the order of the file; /forgetme erases those with an eraser.
SECTIONS: tuple[DataSection, ...] = (
    DataSection("account", _account, _erase_account),
    DataSection("memberships", _memberships),
    DataSection("username_fingerprint", _username),
    DataSection("rules_agreements", _rules, _erase_rules),
    DataSection("my_circle", _circle, _erase_circle),
    DataSection("consents", _consents),
    DataSection("disclosures", _disclosures),
    DataSection("refused_by_the_gate", _refusals),
    DataSection("escalations", _escalations),
    DataSection("support_person_for_count", _support_person_for),
    DataSection("one_to_one", _one_to_one, _erase_one_to_one),
    DataSection("moderation", _moderation_measures, _erase_moderation),
    DataSection("moderation_entries_about_me", _moderation),
    DataSection("sessions", _sessions, _erase_sessions),
    DataSection("peer_support", _peers, _erase_peers),
    DataSection("kind_words", _kind_words, _erase_kind_words),
)
