from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest

from bot.moderation.repetition import (
    KENYAN_PUBLIC_HELPLINES,
    Contact,
    ContactRepetitionTracker,
    extract_contacts,
    normalise_phone,
)

GROUP = -1001
OTHER_GROUP = -1002
SALT = b"0123456789abcdef-test-salt"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tracker(clock: FakeClock) -> ContactRepetitionTracker:
    return ContactRepetitionTracker(salt=SALT, clock=clock)


# --- extraction ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0700 000 101", "+254700000101"),
        ("0700-000-101", "+254700000101"),
        ("0700000101", "+254700000101"),
        ("+254 700 000 101", "+254700000101"),
        ("+254-700-000101", "+254700000101"),
        ("254700000101", "+254700000101"),
        ("00254700000101", "+254700000101"),
        ("+254 (0) 700 000 101", "+254700000101"),
        ("0110 000 101", "+254110000101"),
        ("0722 178 177", "+254722178177"),
        ("+44 20 7946 0958", "+442079460958"),
        ("1199", None),
        ("123456", None),
        ("070000010", None),
    ],
)
def test_normalise_phone(raw: str, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Call/WhatsApp 0700 000 101 or +254-700-000101",
            [Contact("phone", "+254700000101")],
        ),
        ("Befrienders Kenya 0722 178 177", [Contact("phone", "+254722178177")]),
        ("piga 0110000202 sasa hivi", [Contact("phone", "+254110000202")]),
        ("call +44 20 7946 0958", [Contact("phone", "+442079460958")]),
        (
            "book: https://Calendly.com/dr-x/50min.",
            [Contact("url", "calendly.com/dr-x/50min")],
        ),
        ("see www.example.co.ke/", [Contact("url", "example.co.ke")]),
        ("linktr.ee/coachx", [Contact("url", "linktr.ee/coachx")]),
        (
            "wa.me/254700000707",
            [Contact("phone", "+254700000707"), Contact("url", "wa.me/254700000707")],
        ),
        ("email me: Joy.T@Example.com.", [Contact("email", "joy.t@example.com")]),
        ("Lipa na M-Pesa Till No. 000456", [Contact("till", "000456")]),
        ("Paybill 000 789 account 12", [Contact("till", "000789")]),
        ("buy goods 000567,", [Contact("till", "000567")]),
        ("call 1199 or 999, it's free", []),
        ("KES 15,000 per month, 3,000/= deposit, in 2019, 8am-6pm", []),
        ("e.g. Dr. M said etc.", []),
        ("I paid 2500 and 1500", []),
    ],
)
def test_extract_contacts(text: str, expected: list[Contact]) -> None:
    assert list(extract_contacts(text)) == expected


def test_extract_returns_each_contact_once() -> None:
    text = "0700 000 101, 0700000101, +254700000101 and calendly.com/a calendly.com/a/"
    assert extract_contacts(text) == (
        Contact("phone", "+254700000101"),
        Contact("url", "calendly.com/a"),
    )


def test_two_numbers_next_to_each_other() -> None:
    assert extract_contacts("0700 000 101 / 0700 000 102") == (
        Contact("phone", "+254700000101"),
        Contact("phone", "+254700000102"),
    )


# --- tracker -------------------------------------------------------------------------------------


def test_first_post_is_not_a_repeat(tracker: ContactRepetitionTracker) -> None:
    result = tracker.observe(GROUP, 1, "sessions: whatsapp 0700 000 101", message_id=10)
    assert result.contacts == 1
    assert not result.repeated
    assert not result.repeated_by_sender
    assert result.other_senders == 0


def test_same_sender_repeating_in_another_message(tracker: ContactRepetitionTracker) -> None:
    tracker.observe(GROUP, 1, "call 0700 000 101", message_id=10)
    result = tracker.observe(GROUP, 1, "still available +254700000101", message_id=11)
    assert result.repeated_by_sender
    assert result.repeated


def test_edit_of_the_same_message_is_not_a_repeat(tracker: ContactRepetitionTracker) -> None:
    tracker.observe(GROUP, 1, "call 0700 000 101", message_id=10)
    result = tracker.observe(GROUP, 1, "call 0700 000 101 (edited)", message_id=10)
    assert not result.repeated_by_sender


def test_links_and_tills_repeat_too(tracker: ContactRepetitionTracker) -> None:
    tracker.observe(GROUP, 1, "book at https://calendly.com/x", message_id=1)
    assert tracker.observe(GROUP, 1, "calendly.com/x/", message_id=2).repeated
    tracker.observe(GROUP, 2, "Till No 000456", message_id=3)
    assert tracker.observe(GROUP, 2, "till 000 456 again", message_id=4).repeated


def test_several_senders_posting_one_contact(clock: FakeClock) -> None:
    tracker = ContactRepetitionTracker(salt=SALT, clock=clock, cross_sender_threshold=3)
    assert not tracker.observe(GROUP, 1, "0700 000 101", message_id=1).repeated
    second = tracker.observe(GROUP, 2, "0700 000 101", message_id=2)
    assert second.other_senders == 1
    assert not second.repeated
    third = tracker.observe(GROUP, 3, "0700 000 101", message_id=3)
    assert third.other_senders == 2
    assert not third.repeated_by_sender
    assert third.repeated


def test_groups_are_separate(tracker: ContactRepetitionTracker) -> None:
    tracker.observe(GROUP, 1, "0700 000 101", message_id=1)
    assert not tracker.observe(OTHER_GROUP, 1, "0700 000 101", message_id=1).repeated


def test_public_helplines_never_count(tracker: ContactRepetitionTracker) -> None:
    for message_id in range(5):
        result = tracker.observe(
            GROUP, 1, "Befrienders Kenya 0722 178 177, Niskize 0900 620 800", message_id=message_id
        )
        assert result.contacts == 0
        assert not result.repeated
    assert len(tracker) == 0


def test_custom_public_numbers(clock: FakeClock) -> None:
    tracker = ContactRepetitionTracker(
        salt=SALT, clock=clock, public_numbers={*KENYAN_PUBLIC_HELPLINES, "0700 000 999"}
    )
    tracker.observe(GROUP, 1, "0700 000 999", message_id=1)
    assert not tracker.observe(GROUP, 1, "0700000999", message_id=2).repeated


def test_window_expiry(clock: FakeClock) -> None:
    tracker = ContactRepetitionTracker(salt=SALT, clock=clock, window=timedelta(days=7))
    tracker.observe(GROUP, 1, "0700 000 101", message_id=1)
    clock.advance(timedelta(days=6, hours=23))
    assert tracker.observe(GROUP, 1, "0700 000 101", message_id=2).repeated
    clock.advance(timedelta(days=7, seconds=1))
    assert not tracker.observe(GROUP, 1, "0700 000 101", message_id=3).repeated


def test_stale_senders_do_not_count(clock: FakeClock) -> None:
    tracker = ContactRepetitionTracker(salt=SALT, clock=clock, window=timedelta(days=7))
    tracker.observe(GROUP, 1, "0700 000 101", message_id=1)
    clock.advance(timedelta(days=5))
    tracker.observe(GROUP, 2, "0700 000 101", message_id=2)  # keeps the entry alive
    clock.advance(timedelta(days=3))
    result = tracker.observe(GROUP, 3, "0700 000 101", message_id=3)
    assert result.other_senders == 1  # sender 1 is older than the window


def test_expired_entries_are_dropped(clock: FakeClock) -> None:
    tracker = ContactRepetitionTracker(salt=SALT, clock=clock, window=timedelta(hours=1))
    for n in range(50):
        tracker.observe(GROUP, n, f"0700 000 {n:03d}", message_id=n)
    assert len(tracker) == 50
    clock.advance(timedelta(hours=2))
    tracker.observe(GROUP, 1, "nothing here", message_id=99)
    tracker.observe(GROUP, 1, "0711 000 000", message_id=100)
    assert len(tracker) == 1


def test_memory_is_bounded(clock: FakeClock) -> None:
    tracker = ContactRepetitionTracker(
        salt=SALT, clock=clock, max_entries=100, max_senders_per_contact=4
    )
    for n in range(1000):
        tracker.observe(GROUP, n, f"0700 {n:06d}", message_id=n)
    assert len(tracker) == 100
    for sender in range(50):
        tracker.observe(GROUP, sender, "0799 999 999", message_id=10_000 + sender)
    entries = tracker._entries.values()
    assert max(len(entry.senders) for entry in entries) <= 4


def test_nothing_raw_is_kept(tracker: ContactRepetitionTracker) -> None:
    tracker.observe(GROUP, 1, "call 0700 123 456 or calendly.com/secretname", message_id=1)
    dumped = pickle.dumps(
        [(key, entry.last_seen, entry.senders) for key, entry in tracker._entries.items()]
    )
    for fragment in (b"0700123456", b"700123456", b"secretname", b"calendly", b"call"):
        assert fragment not in dumped


def test_salt_changes_the_hashes(clock: FakeClock) -> None:
    first = ContactRepetitionTracker(salt=SALT, clock=clock)
    second = ContactRepetitionTracker(salt=b"another-salt-of-16-bytes", clock=clock)
    first.observe(GROUP, 1, "0700 000 101")
    second.observe(GROUP, 1, "0700 000 101")
    assert set(first._entries) != set(second._entries)


def test_default_salt_is_random(clock: FakeClock) -> None:
    first = ContactRepetitionTracker(clock=clock)
    second = ContactRepetitionTracker(clock=clock)
    first.observe(GROUP, 1, "0700 000 101")
    second.observe(GROUP, 1, "0700 000 101")
    assert set(first._entries) != set(second._entries)


def test_forget_sender_and_group(tracker: ContactRepetitionTracker) -> None:
    tracker.observe(GROUP, 1, "0700 000 101", message_id=1)
    tracker.observe(GROUP, 2, "0700 000 101", message_id=2)
    tracker.observe(GROUP, 1, "0700 000 102", message_id=3)
    tracker.observe(OTHER_GROUP, 3, "0700 000 103", message_id=4)
    tracker.forget_sender(1)
    assert len(tracker) == 2
    assert not tracker.observe(GROUP, 1, "0700 000 102", message_id=5).repeated
    tracker.forget_group(GROUP)
    assert len(tracker) == 1


def test_observe_contacts_with_already_extracted(tracker: ContactRepetitionTracker) -> None:
    contacts = extract_contacts("whatsapp 0700 000 101")
    tracker.observe_contacts(GROUP, 1, contacts, message_id=1)
    assert tracker.observe_contacts(GROUP, 1, contacts, message_id=2).repeated


def test_message_without_contacts(tracker: ContactRepetitionTracker) -> None:
    result = tracker.observe(GROUP, 1, "I want to talk to someone tonight")
    assert result.contacts == 0
    assert not result.repeated
    assert len(tracker) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"salt": b"short"},
        {"window": timedelta(0)},
        {"max_entries": 0},
        {"max_senders_per_contact": 0},
        {"cross_sender_threshold": 1},
    ],
)
def test_invalid_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"salt|window|limits"):
        ContactRepetitionTracker(**kwargs)  # type: ignore[arg-type]


def test_links_to_public_information_never_count(tracker: ContactRepetitionTracker) -> None:
    """The Ministry of Health's page passed on by many members is a resource, not an advert."""
    for sender in range(1, 6):
        result = tracker.observe(
            GROUP, sender, "Makala nzuri https://www.health.go.ke/mental-health", message_id=sender
        )
        assert result.contacts == 0
        assert not result.repeated
    assert not tracker.observe(GROUP, 1, "see www.who.int/news", message_id=9).repeated
    assert len(tracker) == 0


def test_a_lookalike_of_a_public_site_still_counts(tracker: ContactRepetitionTracker) -> None:
    for sender in (1, 2):
        tracker.observe(GROUP, sender, "https://health.go.ke.example.com/offer", message_id=sender)
    assert tracker.observe(GROUP, 3, "health.go.ke.example.com/offer", message_id=3).repeated
    tracker.observe(GROUP, 4, "https://fakegov.co.ke/x", message_id=4)
    assert tracker.observe(GROUP, 4, "https://fakegov.co.ke/x", message_id=5).repeated


@pytest.mark.parametrize(
    "link",
    [
        "www.mytherapy.co.ke?ref=moh.go.ke",
        "https://mytherapy.com#who.int",
        "https://mytherapy.com?.gov",
        "https://mytherapy.com\\@health.go.ke",
        "https://mytherapy.com\\health.go.ke",
    ],
)
def test_a_public_site_named_outside_the_host_still_counts(
    tracker: ContactRepetitionTracker, link: str
) -> None:
    """Only the host, read as a browser reads it, makes a link public information."""
    tracker.observe(GROUP, 1, f"Book now {link}", message_id=1)
    assert tracker.observe(GROUP, 1, f"Book now {link}", message_id=2).repeated
