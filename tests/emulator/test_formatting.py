"""HTML and MarkdownV2 parsing into text + UTF-16 entities, and Telegram's own detection."""

from __future__ import annotations

import pytest

from emulator.errors import ApiError
from emulator.formatting import detect_entities, format_text, parse_html, parse_markdown_v2


def test_html_nesting_links_and_utf16_offsets() -> None:
    text, entities = parse_html(
        '🙂 <b>bold <i>both</i></b> <a href="https://example.org/?a=1&amp;b=2">link</a> '
        '<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span> &lt;3 &#33;'
    )
    assert text == "🙂 bold both link s t <3 !"
    by_type = {e["type"]: e for e in entities}
    assert by_type["bold"] == {"type": "bold", "offset": 3, "length": 9}
    assert by_type["italic"] == {"type": "italic", "offset": 8, "length": 4}
    assert by_type["text_link"]["url"] == "https://example.org/?a=1&b=2"
    assert [e["type"] for e in entities].count("spoiler") == 2


def test_html_pre_with_language_and_blockquote() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><blockquote expandable>q</blockquote>'
    )
    assert text == "x = 1q"
    assert entities[0] == {"type": "pre", "offset": 0, "length": 5, "language": "python"}
    assert entities[1]["type"] == "expandable_blockquote"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<a =" x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href>y</a>", "Expected equal sign in declaration of an attribute"),
        ("é<u>x", 'Can\'t find end tag corresponding to start tag "u"'),
        ("é<foo>", 'Unsupported start tag "foo" at byte offset 2'),
    ],
)
def test_html_errors(source: str, message: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_html(source)
    assert caught.value.description.startswith("Bad Request: can't parse entities: ")
    assert message in caught.value.description


def test_markdown_v2_entities() -> None:
    text, entities = parse_markdown_v2(
        r"*b* _i_ __u__ ~s~ ||sp|| `c` [link](https://example.org/a\)b) \* ```py" + "\nx\n```"
    )
    assert text == "b i u s sp c link * x\n"
    types = [e["type"] for e in entities]
    assert types == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
        "pre",
    ]
    assert entities[6]["url"] == "https://example.org/a)b"
    assert entities[7]["language"] == "py"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a-b", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("_open", "Can't find end of Italic entity at byte offset 0"),
        ("x __u", "Can't find end of Underline entity at byte offset 2"),
        ("[a](https://x.org", "Can't find end of a URL at byte offset 4"),
        ("a|b", "Character '|' is reserved"),
    ],
)
def test_markdown_v2_errors(source: str, message: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_markdown_v2(source)
    assert message in caught.value.description


def test_markdown_v2_blockquote() -> None:
    text, entities = parse_markdown_v2(">quoted\n>more\nafter")
    assert text == "quoted\nmore\nafter"
    assert entities == [{"type": "blockquote", "offset": 0, "length": 11}]


def test_detected_entities() -> None:
    found = detect_entities("/start@PamojaBot hi @amina_k, see t.me/x. a/b /x")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 16),
        ("bot_command", 46, 2),
        ("mention", 20, 8),
        ("url", 34, 6),
    ]


def test_whitespace_is_trimmed_and_entities_shift() -> None:
    text, entities = format_text("  <b>hi</b>  ", "HTML")
    assert text == "hi"
    assert entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_unknown_parse_mode() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode")
