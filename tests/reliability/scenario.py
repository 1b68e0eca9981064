"""A scripted run of every critical flow, and what it must leave behind, measured.

The flows (each round with its own member, so every message is told apart by the words in it):
a newcomer's rules welcome and agreeing; an admin's concern, the member's consent and choice,
the help text reaching the chosen person; /supportnow; an exclusion with its support message
(and, at the end, the link back); a /talk request offered, accepted and eight messages relayed
both ways without waiting between them (order is checked), then /end.

Between steps the run *drains*: time passes in small steps (retries come due), exactly the same
in a run with faults and one without, so both runs see the same clock. Nothing is sent by the
test itself; the bot is driven only through the emulator, as people would.

``measure`` compares what each person saw with what the script says they must see:

* **lost** — an expected message that never arrived;
* **duplicates** — an expected message that arrived more than once, plus any other bot message
  repeated in a chat more often than in the run without faults;
* **out of order** — relayed messages that arrived in another order than they were sent;
* **stopped** — updates whose handler ended in an exception (the one error handler logged it);
* **stuck** — records left half way: outbox rows still waiting, gate entries without their
  welcome, escalations or /talk requests not in a final state, overdue timed work.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from bot.rules.policy import WELCOME_WINDOW
from emulator import GroupHandle, UserHandle
from tests.circle.conftest import accept, add_person, callbacks, press, write_help_text
from tests.support import Harness

DRAIN_STEP = 3  # seconds of the bot's clock per step while draining
DRAIN_STEPS = 120  # 6 minutes: back-offs of 2, 4, ... 128 s all come due
EXCLUSION = "1d"
EXCLUSION_SECONDS = 86_400


class Stopped(logging.Handler):
    """Counts updates whose handler ended in an exception (the single error handler logs each)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class Recognised(logging.Handler):
    """Counts timed-out messages the outbox found delivered after all (and did not resend)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "found delivered after all" in record.getMessage():
            self.count += 1


@dataclass
class Expected:
    chat: UserHandle | GroupHandle
    marker: str
    what: str
    copies: int = 1


@dataclass
class Round:
    member: UserHandle
    person: UserHandle
    newcomer: UserHandle
    person_id: int = 0


@dataclass
class Cast:
    group: GroupHandle
    admin: UserHandle
    helper: UserHandle
    rounds: list[Round]
    expected: list[Expected] = field(default_factory=list)
    relays: list[tuple[UserHandle, list[str]]] = field(default_factory=list)


@dataclass
class Figures:
    expected: int
    lost: int
    duplicates: int
    out_of_order: int
    stopped: int
    stuck: int
    sends: int
    messages: int
    faults: dict[str, int]
    details: list[str]
    recognised: int = 0

    def line(self, label: str) -> str:
        faults = sum(self.faults.values())
        kinds = ", ".join(f"{k}={v}" for k, v in self.faults.items())
        return (
            f"reliability [{label}] critical messages expected={self.expected} lost={self.lost} "
            f"duplicates={self.duplicates} out_of_order={self.out_of_order} | handlers stopped "
            f"half way={self.stopped} flows stuck={self.stuck} | bot messages={self.messages} "
            f"calls that could fail={self.sends} faults injected={faults} ({kinds}) | "
            f"timed-out sends found delivered (not resent)={self.recognised}"
        )


async def drain(harness: Harness) -> None:
    for _ in range(DRAIN_STEPS):
        await harness.advance(DRAIN_STEP)


async def cast(harness: Harness, rounds: int) -> Cast:
    """The people and the group, set up while Telegram works (before any fault)."""
    admin = harness.user("Baraka")
    helper = harness.user("Chebet")
    group = await harness.group("Pamoja Nairobi", owner=admin, admins=[helper])
    for person in (admin, helper):
        await harness.start(person)
    found: list[Round] = []
    for index in range(rounds):
        member = harness.user(f"Amani{index}")
        person = harness.user(f"Wanjiru{index}")
        newcomer = harness.user(f"Neema{index}")
        await harness.join(group, member)
        await harness.start(member)
        one = Round(member, person, newcomer)
        await write_help_text(harness, member, f"HELP-{index} please call me")
        one.person_id = await add_person(harness, member, f"Wanjiru{index}")
        await accept(harness, member, one.person_id, person)
        found.append(one)
    return Cast(group, admin, helper, found)


async def run(harness: Harness, c: Cast) -> None:
    """Every critical flow, round after round (faults, if any, are on during all of this)."""
    for index, r in enumerate(c.rounds):
        await _welcome(harness, c, r)
        await _concern(harness, c, r, index)
        await _support_now(harness, c, r, index)
        await _talk(harness, c, r, index)
        await _exclude(harness, c, r, index)
    # The exclusions end: each member gets their link back.
    for _ in range(EXCLUSION_SECONDS // 3600 + 1):
        await harness.advance(3600)
    await drain(harness)
    for r in c.rounds:
        c.expected.append(Expected(r.member, "Welcome back", "link back"))
    rounds = len(c.rounds)
    c.expected.append(Expected(c.admin, "The member said yes", "consent answer", rounds))


async def _welcome(harness: Harness, c: Cast, r: Round) -> None:
    # Past the window in which a burst of joins shares one welcome: each gets their own.
    await harness.advance(WELCOME_WINDOW + 1)
    await harness.join(c.group, r.newcomer, agree=False)
    await drain(harness)
    # The welcome, as it reads once the newcomer agreed.
    c.expected.append(Expected(c.group, f"{r.newcomer.first_name} has joined us", "rules welcome"))
    assert await harness.agree_to_rules(c.group, r.newcomer)
    await drain(harness)


async def _concern(harness: Harness, c: Cast, r: Round, index: int) -> None:
    await harness.private(c.admin, f"/concern {r.member.id}")
    await drain(harness)
    await press(harness, r.member, callbacks(harness, r.member)[0])  # yes, choose who
    await drain(harness)
    esc = (await harness.app.bot_data.store.ledger.escalations(r.member.id))[-1]
    await press(harness, r.member, f"circle:pick:{esc.id}:{r.person_id}")
    await drain(harness)
    await press(harness, r.member, f"circle:pick_done:{esc.id}")
    await drain(harness)
    # The consent question becomes "Reaching your people now…" once answered (as does the
    # /supportnow picker): two in all.
    c.expected.append(Expected(r.member, "Reaching your people now", "consent question", 2))
    c.expected.append(Expected(c.admin, f"Wanjiru{index}", "consent answer (details)"))
    c.expected.append(Expected(r.member, "Baraka saw Wanjiru", "disclosure notice"))
    c.expected.append(Expected(r.person, f"HELP-{index}", "help text (concern)", 2))


async def _support_now(harness: Harness, c: Cast, r: Round, index: int) -> None:
    await harness.private(r.member, "/supportnow")
    await drain(harness)
    esc = (await harness.app.bot_data.store.ledger.escalations(r.member.id))[-1]
    await press(harness, r.member, f"circle:pick:{esc.id}:{r.person_id}")
    await drain(harness)
    await press(harness, r.member, f"circle:pick_done:{esc.id}")
    await drain(harness)
    c.expected.append(Expected(r.member, "who was contacted", "summary to the member", 2))


async def _talk(harness: Harness, c: Cast, r: Round, index: int) -> None:
    await harness.private(r.member, "/talk")
    await drain(harness)
    await harness.tap(r.member, r.member, "An administrator")
    await drain(harness)
    await harness.private(r.member, f"TOPIC-{index} a hard week")
    await drain(harness)
    c.expected.append(Expected(c.helper, f"TOPIC-{index}", "/talk offer and connection"))
    await harness.tap(c.helper, c.helper, "Accept")
    await drain(harness)
    to_helper = [f"RELAY-{index}-m{i}" for i in range(4)]
    to_member = [f"RELAY-{index}-h{i}" for i in range(4)]
    for mine, theirs in zip(to_helper, to_member, strict=True):
        await harness.private(r.member, mine)  # no waiting between them: order must hold
        await harness.private(c.helper, theirs)
    await drain(harness)
    c.relays += [(c.helper, to_helper), (r.member, to_member)]
    c.expected += [Expected(c.helper, text, "relayed message") for text in to_helper]
    c.expected += [Expected(r.member, text, "relayed message") for text in to_member]
    await harness.private(r.member, "/end")
    await drain(harness)


async def _exclude(harness: Harness, c: Cast, r: Round, index: int) -> None:
    posted = await harness.say(c.group, r.member, "something against the rules")
    await harness.say(c.group, c.admin, f"/exclude {EXCLUSION} REASON-{index}", reply_to=posted)
    await drain(harness)
    c.expected.append(Expected(r.member, f"REASON-{index}", "exclusion support message"))
    if index == 0:  # the group's short confirmation names nobody: one per round
        c.expected.append(Expected(c.group, "✅ Done: out of the group", "'Done'", len(c.rounds)))
    notice = f"{r.member.first_name} is out of {c.group.title}"
    c.expected.append(Expected(c.admin, notice, "admin notice"))
    c.expected.append(Expected(c.helper, notice, "admin notice"))


# -- measuring ---------------------------------------------------------------------------------


def _texts(harness: Harness, chat: UserHandle | GroupHandle) -> list[str]:
    """The bot's messages in a chat as they read now, deleted ones included (a welcome is
    removed once the newcomer agreed: it arrived all the same)."""
    bot = harness.emu.bot.id
    return [(m.text or m.caption or "") for m in harness.emu.messages(chat) if m.sender_id == bot]


def _chats(c: Cast) -> list[UserHandle | GroupHandle]:
    chats: list[UserHandle | GroupHandle] = [c.group, c.admin, c.helper]
    for r in c.rounds:
        chats += [r.member, r.person, r.newcomer]
    return chats


def repeats(harness: Harness, c: Cast) -> Counter[tuple[int, str]]:
    """Bot messages that appear more than once in a chat (beyond the first copy)."""
    found: Counter[tuple[int, str]] = Counter()
    for chat in _chats(c):
        for text, count in Counter(_texts(harness, chat)).items():
            if count > 1:
                found[(chat.id, text)] = count - 1
    return found


async def stuck(harness: Harness) -> list[str]:
    """Records a flow left half way (after the drain nothing should be waiting)."""
    db = harness.app.bot_data.store.db
    now = harness.clock.epoch()
    checks = {
        "outbox rows still waiting": (
            "SELECT COUNT(*) FROM circle_outbox WHERE status IN ('pending', 'sending')",
            (),
        ),
        "gate entries without their welcome": (
            "SELECT COUNT(*) FROM rules_gate WHERE message_id IS NULL",
            (),
        ),
        "escalations in an intermediate state": (
            "SELECT COUNT(*) FROM circle_escalations WHERE status NOT IN "
            "('done', 'declined', 'talk', 'no_answer', 'cancelled')",
            (),
        ),
        "/talk requests still pending or open": (
            "SELECT COUNT(*) FROM talk_conversations WHERE status IN ('pending', 'open')",
            (),
        ),
        "timed work overdue": (
            "SELECT COUNT(*) FROM scheduled_actions WHERE status = 'pending' AND due_at <= ?",
            (now - 60,),
        ),
        "exclusions past their end": (
            "SELECT COUNT(*) FROM mod_sanctions WHERE status = 'active' AND kind = 'exclude' "
            "AND ends_at <= ?",
            (now - 60,),
        ),
    }
    found = []
    for what, (sql, params) in checks.items():
        row = await db.fetch_one(sql, params)
        if row is not None and int(row[0]):
            found.append(f"{what}: {int(row[0])}")
    return found


async def measure(
    harness: Harness, c: Cast, stopped: Stopped, baseline: Counter[tuple[int, str]] | None
) -> Figures:
    details: list[str] = []
    lost = duplicates = 0
    for want in c.expected:
        copies = sum(want.marker in text for text in _texts(harness, want.chat))
        if copies < want.copies:
            lost += want.copies - copies
            details.append(f"lost: {want.what} ({want.marker}) {copies}/{want.copies}")
        elif copies > want.copies:
            duplicates += copies - want.copies
            details.append(f"duplicate: {want.what} ({want.marker}) {copies}/{want.copies}")
    extra = repeats(harness, c) if baseline is not None else Counter()
    for key, count in extra.items():
        over = count - baseline.get(key, 0) if baseline is not None else 0
        if over > 0 and not any(w.marker in key[1] for w in c.expected):
            duplicates += over
            details.append(f"duplicate x{over + 1}: {key[1][:60]!r}")
    out_of_order = 0
    for chat, sent in c.relays:
        arrived = [t for t in _texts(harness, chat) if t in sent]
        firsts = list(dict.fromkeys(arrived))
        if firsts != [t for t in sent if t in firsts]:
            out_of_order += 1
            details.append(f"out of order in {chat.first_name}'s chat: {firsts}")
    left = await stuck(harness)
    details += [f"stuck: {x}" for x in left]
    plan = harness.emu.faults
    faults = plan.summary() if plan is not None else {}
    sends = plan.calls if plan is not None else 0  # calls the plan could fail, while it was on
    return Figures(
        expected=sum(w.copies for w in c.expected),
        lost=lost,
        duplicates=duplicates,
        out_of_order=out_of_order,
        stopped=stopped.count,
        stuck=sum(int(x.rsplit(": ", 1)[1]) for x in left),
        sends=sends,
        # A disclosure that got through only on a retry is told to the member then, in a
        # "Who saw what" of its own (the records tell the truth): not a message too many.
        messages=sum(
            1
            for chat in _chats(c)
            for m in harness.emu.bot_messages(chat)
            if not (m.text or "").startswith("Who saw what")
        ),
        faults=faults,
        details=details,
    )
