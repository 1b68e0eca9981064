"""Merge texts into a gettext catalogue (a maintenance helper; the bot never runs it).

Usage: ``python tools/po.py LANG DOMAIN texts.json`` merges the JSON object ``{"key": "text"}``
into ``bot/locales/LANG/LC_MESSAGES/DOMAIN.po``, keeping existing entries not in the JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def merge(lang: str, domain: str, texts: dict[str, str]) -> Path:
    path = Path("bot/locales") / lang / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="Pamoja", domain=domain)
    for key, text in texts.items():
        existing = catalog.get(key)
        if existing is None:
            catalog.add(key, text)
        else:
            existing.string = text  # Babel's add() keeps an existing entry's old text
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True)
    return path


if __name__ == "__main__":
    language, name, source = sys.argv[1:4]
    merge(language, name, json.loads(Path(source).read_text(encoding="utf-8")))
