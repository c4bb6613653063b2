"""The one reviewed set of fixed messages, filled only with configured values.

No other module writes user-facing sentences. `Messages.get(name)` fills placeholders from the
region and clinic configuration; `{query}` is the only value that comes from the user.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from . import datafiles

REGIONS = ("US", "UK")


@cache
def _raw() -> dict[str, str]:
    return datafiles.json_entries("messages.json")


@cache
def _regions() -> dict[str, dict[str, str]]:
    return datafiles.json_entries("regions.json")


@dataclass(frozen=True)
class Config:
    """Region and clinic settings; read from the environment unless given."""

    region: str = "US"
    clinic_name: str = ""
    clinic_line: str = ""

    @classmethod
    def from_env(cls, region: str | None = None) -> Config:
        region = (region or os.environ.get("VERBATIM_REGION") or "US").upper()
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}; choose one of {', '.join(REGIONS)}")
        return cls(
            region=region,
            clinic_name=os.environ.get("VERBATIM_CLINIC_NAME", "").strip(),
            clinic_line=os.environ.get("VERBATIM_CLINIC_LINE", "").strip(),
        )


class Messages:
    """Fixed messages for one configuration."""

    def __init__(self, config: Config | None = None, title: str = "the guide"):
        self.config = config or Config()
        region = _regions()[self.config.region]
        cancer_line = region["cancer_line"]
        if self.config.clinic_line:
            name = self.config.clinic_name or "your clinic"
            cancer_line = f"{name}'s 24-hour line on {self.config.clinic_line}"
        self.values = {
            "emergency_number": region["emergency_number"],
            "crisis_line": region["crisis_line"],
            "cancer_line": cancer_line,
            "title": title,
            "limit": "2,000",
        }

    @staticmethod
    def names() -> list[str]:
        return sorted(_raw())

    def get(self, name: str, query: str = "", qtype: str = "") -> str:
        """The message `name`, placeholders filled (`qtype`: a reviewed type name)."""
        return _raw()[name].format(query=query, type=qtype, **self.values)

    def all(self) -> dict[str, str]:
        return {n: self.get(n, query="{query}", qtype="<type>") for n in self.names()}


def examples() -> list[str]:
    """Example questions for an empty chat (data/examples.txt)."""
    return datafiles.lines("examples.txt")
