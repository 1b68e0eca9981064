"""Crisis and support lines shown to members and administrators (never called by the bot).

Read from ``config/crisis_lines.toml`` or the deployment's own file
(``PAMOJA_CRISIS_LINES_PATH``); each group picks a country and whether to show emergency numbers.
"""

from __future__ import annotations

import tomllib
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


class CrisisLines:
    def __init__(self, countries: dict[str, list[CrisisLine]]) -> None:
        self._countries = countries

    @classmethod
    def load(cls, path: Path | None = None) -> CrisisLines:
        source = path or default_config_dir() / "crisis_lines.toml"
        with source.open("rb") as handle:
            raw: dict[str, Any] = tomllib.load(handle)
        countries: dict[str, list[CrisisLine]] = {}
        for code, table in raw.items():
            if not isinstance(table, dict):
                continue  # metadata such as schema = 1
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
        return cls(countries)

    def for_country(self, country: str, *, emergency: bool = False) -> list[CrisisLine]:
        lines = self._countries.get(country.upper()) or self._countries.get("DEFAULT", [])
        return [line for line in lines if emergency or line.kind != "emergency"]

    def render(
        self, texts: Catalogues, lang: str, country: str, *, emergency: bool = False
    ) -> Safe:
        """The lines as a short list a person can read on a basic phone."""
        entries = []
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
