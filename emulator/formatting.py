"""Telegram's text formatting: HTML and MarkdownV2 parsing into text + entities, with the errors
Telegram answers for malformed markup, and the entities Telegram detects on its own
(bot commands, mentions, links). Offsets and lengths are in UTF-16 code units, like Telegram.

HTML is checked a little more strictly than Telegram does: a bare ``&`` that does not start an
entity is rejected (Telegram silently keeps it), because it always means text was not escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import ApiError, bad_request

JSON = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _parse_error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _valid_link(url: str) -> bool:
    return bool(re.match(r"^(https?://|tg://)?[^\s/]+\.[^\s]*$|^tg://\S+$", url))


@dataclass
class _Open:
    tag: str
    offset: int
    byte_offset: int
    text_start: int
    argument: str = ""
    language: str = ""
    children: list[JSON] = field(default_factory=list)


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.i = 0
        self.out: list[str] = []
        self.offset = 0
        self.entities: list[JSON] = []
        self.stack: list[_Open] = []

    def at(self, index: int) -> str:
        return self.src[index] if index < len(self.src) else ""

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.offset += utf16_len(chars)

    def entity(self, index: int) -> tuple[str, int] | None:
        """Decode an HTML entity starting at `index` ('&'): (character, next index)."""
        match = re.match(r"&(#x[0-9a-fA-F]{1,8}|#[0-9]{1,8}|[a-zA-Z]+);?", self.src[index:])
        if not match:
            return None
        body = match.group(1)
        if body.startswith("#"):
            code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
            if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None
            return chr(code), index + match.end()
        char = _NAMED_ENTITIES.get(body)
        return (char, index + match.end()) if char else None

    def parse(self) -> tuple[str, list[JSON]]:
        while self.i < len(self.src):
            char = self.src[self.i]
            if char == "&":
                decoded = self.entity(self.i)
                if decoded is None:
                    raise _parse_error(
                        "Character '&' must be escaped as \"&amp;\" at byte offset "
                        f"{_byte_offset(self.src, self.i)}"
                    )
                self.emit(decoded[0])
                self.i = decoded[1]
            elif char == "<":
                if self.at(self.i + 1) == "/":
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                self.emit(char)
                self.i += 1
        if self.stack:
            raise _parse_error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        return "".join(self.out), self.entities

    def start_tag(self) -> None:
        begin = self.i
        offset = _byte_offset(self.src, begin)
        self.i += 1
        while self.at(self.i) and not self.at(self.i).isspace() and self.at(self.i) != ">":
            self.i += 1
        if not self.at(self.i):
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        tag = self.src[begin + 1 : self.i].lower()
        if tag not in _HTML_TAGS:
            raise _parse_error(f'Unsupported start tag "{tag}" at byte offset {offset}')
        attributes = self.attributes(tag, offset)
        self.i += 1  # '>'
        opened = _Open(tag, self.offset, offset, len(self.out))
        if tag == "a":
            opened.argument = attributes.get("href", "")
        elif tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise _parse_error(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
                )
        elif tag == "tg-emoji":
            opened.argument = attributes.get("emoji-id", "")
        elif tag == "code":
            language = attributes.get("class", "")
            opened.language = language[9:] if language.startswith("language-") else ""
        elif tag == "blockquote":
            opened.argument = "expandable" if "expandable" in attributes else ""
        self.stack.append(opened)

    def attributes(self, tag: str, offset: int) -> dict[str, str]:
        found: dict[str, str] = {}
        while self.at(self.i) != ">":
            while self.at(self.i).isspace():
                self.i += 1
            if self.at(self.i) == ">":
                break
            start = self.i
            while (
                self.at(self.i) and not self.at(self.i).isspace() and self.at(self.i) not in "=>"
            ):
                self.i += 1
            name = self.src[start : self.i].lower()
            if not name:
                raise _parse_error(
                    f'Empty attribute name in the tag "{tag}" at byte offset {offset}'
                )
            while self.at(self.i).isspace():
                self.i += 1
            if self.at(self.i) != "=":
                if not self.at(self.i):
                    raise _parse_error(f"Unclosed start tag at byte offset {offset}")
                if tag == "blockquote" and name == "expandable":
                    found[name] = ""
                    continue
                raise _parse_error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {offset}'
                )
            self.i += 1
            while self.at(self.i).isspace():
                self.i += 1
            found[name] = self.attribute_value(offset)
            if not self.at(self.i):
                raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        return found

    def attribute_value(self, offset: int) -> str:
        quote = self.at(self.i)
        if not quote:
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        if quote not in "'\"":
            start = self.i
            while self.at(self.i) and (self.at(self.i).isalnum() or self.at(self.i) in ".-"):
                self.i += 1
            if self.at(self.i) and not self.at(self.i).isspace() and self.at(self.i) != ">":
                raise _parse_error(
                    f"Unexpected end of name token at byte offset {_byte_offset(self.src, self.i)}"
                )
            return self.src[start : self.i].lower()
        self.i += 1
        value: list[str] = []
        while self.at(self.i) and self.at(self.i) != quote:
            decoded = self.entity(self.i) if self.at(self.i) == "&" else None
            if decoded:
                value.append(decoded[0])
                self.i = decoded[1]
            else:
                value.append(self.src[self.i])
                self.i += 1
        if self.at(self.i) == quote:
            self.i += 1
        return "".join(value)

    def end_tag(self) -> None:
        begin = self.i
        offset = _byte_offset(self.src, begin)
        if not self.stack:
            raise _parse_error(f"Unexpected end tag at byte offset {offset}")
        self.i += 2
        while self.at(self.i) and not self.at(self.i).isspace() and self.at(self.i) != ">":
            self.i += 1
        name = self.src[begin + 2 : self.i].lower()
        while self.at(self.i).isspace():
            self.i += 1
        if self.at(self.i) != ">":
            raise _parse_error(f"Unclosed end tag at byte offset {offset}")
        self.i += 1
        opened = self.stack[-1]
        if name and name != opened.tag:
            raise _parse_error(
                f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        self.close(opened)

    def close(self, opened: _Open) -> None:
        length = self.offset - opened.offset
        if length <= 0:
            return
        parent = self.stack[-1] if self.stack else None
        if opened.tag == "code" and opened.language and parent and parent.tag == "pre":
            parent.language = opened.language
            return
        entity: JSON = {"offset": opened.offset, "length": length}
        if opened.tag == "a":
            url = opened.argument or "".join(self.out[opened.text_start :])
            if not _valid_link(url):
                return
            entity.update(type="text_link", url=url)
        elif opened.tag == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
        elif opened.tag == "blockquote":
            entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
        else:
            entity["type"] = _HTML_ENTITY_TYPES[opened.tag]
            if opened.tag == "pre" and opened.language:
                entity["language"] = opened.language
        self.entities.append(entity)


def parse_html(source: str) -> tuple[str, list[JSON]]:
    return _HtmlParser(source).parse()


def parse_markdown_v2(source: str) -> tuple[str, list[JSON]]:
    out: list[str] = []
    offset = 0
    entities: list[JSON] = []
    stack: list[_Open] = []
    i = 0
    n = len(source)

    def at(index: int) -> str:
        return source[index] if index < n else ""

    def emit(chars: str) -> None:
        nonlocal offset
        out.append(chars)
        offset += utf16_len(chars)

    line_start = True
    quote_open: _Open | None = None
    while i < n:
        char = source[i]
        if line_start and char == ">" and not (stack and stack[-1].tag in ("code", "pre")):
            if quote_open is None:
                quote_open = _Open("blockquote", offset, _byte_offset(source, i), len(out))
            i += 1
            line_start = False
            continue
        if line_start and quote_open is not None:
            entities.append(
                {
                    "type": "blockquote",
                    "offset": quote_open.offset,
                    "length": offset - quote_open.offset - 1,
                }
            )
            quote_open = None
        line_start = False
        if char == "\\" and 0 < ord(at(i + 1) or "\x00") <= 126:
            emit(source[i + 1])
            i += 2
            continue
        in_code = bool(stack) and stack[-1].tag in ("code", "pre")
        reserved = "`" if in_code else _MDV2_RESERVED
        if char not in reserved:
            emit(char)
            line_start = char == "\n"
            i += 1
            continue
        top = stack[-1].tag if stack else ""
        closes = (
            (top == "bold" and char == "*")
            or (top == "italic" and char == "_" and at(i + 1) != "_")
            or (top == "underline" and char == "_" and at(i + 1) == "_")
            or (top == "strikethrough" and char == "~")
            or (top == "spoiler" and char == "|" and at(i + 1) == "|")
            or (top == "code" and char == "`")
            or (top == "pre" and source.startswith("```", i))
            or (top == "text_link" and char == "]")
        )
        if closes:
            opened = stack.pop()
            argument = ""
            if top in ("underline", "spoiler"):
                i += 2
            elif top == "pre":
                i += 3
            elif top == "text_link":
                i += 1
                if at(i) == "(":
                    url_start = i + 1
                    j = url_start
                    url: list[str] = []
                    while j < n and source[j] != ")":
                        if source[j] == "\\" and j + 1 < n:
                            j += 1
                        url.append(source[j])
                        j += 1
                    if j >= n:
                        raise _parse_error(
                            f"Can't find end of a URL at byte offset "
                            f"{_byte_offset(source, url_start)}"
                        )
                    argument = "".join(url)
                    i = j + 1
                else:
                    argument = "".join(out[opened.text_start :])
            else:
                i += 1
            length = offset - opened.offset
            if length > 0 and (top != "text_link" or _valid_link(argument)):
                entity: JSON = {"type": top, "offset": opened.offset, "length": length}
                if top == "text_link":
                    entity["url"] = argument
                if top == "pre" and opened.language:
                    entity["language"] = opened.language
                entities.append(entity)
            continue
        byte_offset = _byte_offset(source, i)
        if char == "_" and at(i + 1) == "_":
            stack.append(_Open("underline", offset, byte_offset, len(out)))
            i += 2
        elif char == "|" and at(i + 1) == "|":
            stack.append(_Open("spoiler", offset, byte_offset, len(out)))
            i += 2
        elif char in "*_~[":
            tag = {"*": "bold", "_": "italic", "~": "strikethrough", "[": "text_link"}[char]
            stack.append(_Open(tag, offset, byte_offset, len(out)))
            i += 1
        elif char == "`" and source.startswith("```", i):
            i += 3
            end = i
            while end < n and not source[end].isspace() and source[end] != "`":
                end += 1
            language = source[i:end] if end < n and source[end] != "`" else ""
            if language:
                i = end
            if at(i) == "\n":
                i += 1
            stack.append(_Open("pre", offset, byte_offset, len(out), language=language))
        elif char == "`":
            stack.append(_Open("code", offset, byte_offset, len(out)))
            i += 1
        else:
            raise _parse_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
    if stack:
        opened = stack[-1]
        raise _parse_error(
            f"Can't find end of {_MDV2_NAMES[opened.tag]} entity at byte offset "
            f"{opened.byte_offset}"
        )
    if quote_open is not None:
        entities.append(
            {
                "type": "blockquote",
                "offset": quote_open.offset,
                "length": offset - quote_open.offset,
            }
        )
    return "".join(out), entities


_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")
_MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_]{4,32}(?!\w)")
_URL = re.compile(r"(?<![\w@])(?:https?://|t\.me/)[^\s<>\"]+")


def detect_entities(text: str) -> list[JSON]:
    """The entities Telegram adds by itself: bot commands, @mentions and links."""
    found: list[JSON] = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION), ("url", _URL)):
        for match in pattern.finditer(text):
            value = match.group(0)
            if kind == "url":
                value = value.rstrip(".,;:!?)'")
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(value),
                }
            )
    return found


def _overlaps(a: JSON, b: JSON) -> bool:
    return bool(
        a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"]
    )


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram strips leading and trailing whitespace, moving entities accordingly."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept: list[JSON] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] - shift + entity["length"], limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, explicit: list[JSON] | None = None
) -> tuple[str, list[JSON]]:
    """Apply parse_mode (or explicit entities) and Telegram's own detection."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        text, entities = parse_html(text)
    elif mode == "markdownv2":
        text, entities = parse_markdown_v2(text)
    elif mode == "markdown":
        text, entities = text, []  # legacy Markdown is accepted but not interpreted
    elif mode:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    else:
        entities = list(explicit or [])
    text, entities = _trim(text, entities)
    blocking = [e for e in entities if e["type"] in ("code", "pre", "text_link")]
    for detected in detect_entities(text):
        if not any(_overlaps(detected, other) for other in blocking):
            entities.append(detected)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return text, entities


def plain_length(text: str) -> int:
    """Length as Telegram counts it for the 4096/1024 limits."""
    return len(text)
