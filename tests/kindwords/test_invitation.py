from bot.kindwords import invitation as inv


def test_the_group_sees_nothing_until_the_member_says_yes() -> None:
    assert not inv.shows_in_group(inv.ASKED)
    assert inv.next_state(inv.ASKED, inv.YES) == inv.OPEN
    assert inv.shows_in_group(inv.OPEN)


def test_no_and_silence_are_final() -> None:
    for event in (inv.NO, inv.EXPIRE, inv.LEFT):
        assert inv.next_state(inv.ASKED, event) == inv.DECLINED
    for event in (inv.YES, inv.NO, inv.STOP, inv.EXPIRE, inv.LEFT):
        assert inv.next_state(inv.DECLINED, event) is None
        assert inv.next_state(inv.ENDED, event) is None
    assert not inv.shows_in_group(inv.DECLINED)


def test_an_open_invitation_ends_on_stop_time_or_leaving() -> None:
    for event in (inv.STOP, inv.EXPIRE, inv.LEFT):
        assert inv.next_state(inv.OPEN, event) == inv.ENDED
    assert inv.next_state(inv.OPEN, inv.YES) is None
    assert not inv.shows_in_group(inv.ENDED)


def test_stop_before_a_yes_changes_nothing() -> None:
    assert inv.next_state(inv.ASKED, inv.STOP) is None
    assert inv.next_state(inv.ASKED, "forged") is None


def test_words_are_tidied_and_may_not_point_at_anyone() -> None:
    assert inv.clean_words("  Amani would   appreciate\nkind words ") == (
        "Amani would appreciate kind words"
    )
    assert inv.clean_words("   ") is None
    assert inv.clean_words("x" * (inv.MAX_WORDS + 1)) is None
    for pointer in ("write to @amani", "see t.me/amani", "https://x.org", "call 0712 345 678"):
        assert inv.clean_words(pointer) is None
    assert inv.clean_words("Amani, week 2") == "Amani, week 2"


def test_an_invitation_lasts_a_week_by_default_and_two_at_most() -> None:
    assert inv.ends_at(1000) == 1000 + 7 * inv.DAY
    assert inv.ends_at(1000, 30) == 1000 + inv.MAX_DAYS * inv.DAY
    assert inv.ends_at(1000, 0) == 1000 + inv.DAY


def test_senders_are_limited_per_day() -> None:
    now = 10 * inv.DAY
    assert inv.may_send([], now)
    assert not inv.may_send([now - 10, now - 20, now - 30], now)
    assert inv.may_send([now - inv.DAY, now - 20, now - 30], now)
