"""Crisis and support lines shown to members and administrators (never called by the bot).

Read from ``config/crisis_lines.toml`` or the deployment's own file
(``PAMOJA_CRISIS_LINES_PATH``); each group picks a country and whether to show emergency numbers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n import Catalogues, Safe


@dataclass(frozen=True)
class CrisisLine:
    kind: str
    name: str
    number: str
    hours: str
    cost: str
    description: dict[str, str]
    url: str = ""


def default_config_dir() -> Path:
    """``config/`` beside the package (a source checkout) or inside it (an installed wheel)."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "config", package / "_config"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the config folder is missing")


@dataclass(frozen=True)
class OwnLine:
    """One of a group's own support lines (name, number, hours), as its admins wrote it."""

    name: str
    number: str
    hours: str


class CrisisLines:
    def __init__(
        self,
        countries: dict[str, list[CrisisLine]],
        names: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self._countries = countries
        self._names = names or {}

    def countries(self) -> list[str]:
        """The country codes with lines, in file order (``DEFAULT`` is not one of them)."""
        return [code for code in self._countries if code != "DEFAULT"]

    def has(self, country: str) -> bool:
        return country.upper() in self._countries

    def country_name(self, country: str, lang: str) -> str:
        """The country's name in ``lang`` (``DEFAULT``: "other countries"); the code if unnamed."""
        names = self._names.get(country.upper()) or self._names.get("DEFAULT", {})
        return names.get(lang) or names.get("en") or country.upper()

    @classmethod
    def load(cls, path: Path | None = None) -> CrisisLines:
        source = path or default_config_dir() / "crisis_lines.toml"
        with source.open("rb") as handle:
            raw: dict[str, Any] = tomllib.load(handle)
        countries: dict[str, list[CrisisLine]] = {}
        names: dict[str, dict[str, str]] = {}
        for code, table in raw.items():
            if not isinstance(table, dict):
                continue  # metadata such as schema = 1
            names[code.upper()] = {
                key.removeprefix("name_"): str(value)
                for key, value in table.items()
                if key.startswith("name_")
            }
            countries[code.upper()] = [
                CrisisLine(
                    kind=str(line.get("kind", "support")),
                    name=str(line["name"]),
                    number=str(line.get("number", "")),
                    hours=str(line.get("hours", "")),
                    cost=str(line.get("cost", "")),
                    url=str(line.get("url", "")),
                    description={
                        key.removeprefix("description_"): str(value)
                        for key, value in line.items()
                        if key.startswith("description_")
                    },
                )
                for line in table.get("lines", [])
            ]
        return cls(countries, names)

    def for_country(self, country: str, *, emergency: bool = False) -> list[CrisisLine]:
        lines = self._countries.get(country.upper()) or self._countries.get("DEFAULT", [])
        return [line for line in lines if emergency or line.kind != "emergency"]

    def render(
        self,
        texts: Catalogues,
        lang: str,
        country: str,
        *,
        emergency: bool = False,
        own: Sequence[OwnLine] = (),
    ) -> Safe:
        """The lines as a short list a person can read on a basic phone: the group's own
        lines first (the people nearest to it), then its country's."""
        entries = [
            texts.t(
                lang,
                "crisis.own_line",
                name=line.name,
                contact=line.number,
                details=texts.t(lang, "crisis.hours", hours=line.hours) if line.hours else "",
            )
            for line in own
        ]
        for line in self.for_country(country, emergency=emergency):
            contact = line.number or line.url
            hours = texts.t(lang, "crisis.hours", hours=line.hours) if line.hours else ""
            free = texts.t(lang, "crisis.free") if line.cost == "free" else ""
            description = line.description.get(lang) or line.description.get("en", "")
            entries.append(
                texts.t(
                    lang,
                    "crisis.line",
                    name=line.name,
                    contact=contact,
                    details=Safe(" ".join(part for part in (free, hours) if part)),
                    description=description,
                )
            )
        if not entries:
            return texts.t(lang, "crisis.none")
        return texts.t(lang, "crisis.list", lines=Safe("\n".join(entries)))
