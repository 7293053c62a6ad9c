"""The contestant watch-list: candidates, parties and campaign teams, their accounts and groups,
the list's validity window and the election calendar (phases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from shared.errors import InvalidReferenceData
from shared.reference import convert, load_yaml


@dataclass(frozen=True, slots=True)
class WatchedAccount:
    platform: str
    account_id: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class WatchedGroup:
    platform: str
    group_id: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Contestant:
    id: str
    names: tuple[str, ...]
    kind: str = "party"
    number: int | None = None
    nicknames: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    contestant: str | None = None
    accounts: tuple[WatchedAccount, ...] = ()
    groups: tuple[WatchedGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class WatchlistFile:
    version: str
    election_id: str
    valid_from: date | None = None
    valid_to: date | None = None
    phases: tuple[Phase, ...] = ()
    contestants: tuple[Contestant, ...] = ()
    parties: tuple[Contestant, ...] = ()
    campaign_teams: tuple[Contestant, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    version: str
    election_id: str
    valid_from: date | None
    valid_to: date | None
    phases: tuple[Phase, ...]
    entries: tuple[Contestant, ...]
    by_account: dict[str, tuple[Contestant, str]] = field(repr=False)

    def watched(self, platform: str, account_id: str) -> tuple[Contestant, str] | None:
        """The entry owning this account or group id, and its role (contestant/party/team)."""
        return self.by_account.get(f"{platform}:{account_id}") or self.by_account.get(account_id)

    def in_window(self, moment: datetime) -> bool:
        day = moment.date()
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    def phase(self, moment: datetime) -> str:
        day = moment.date()
        for phase in self.phases:
            if phase.start <= day <= phase.end:
                return phase.name
        return ""

    def cue_names(self) -> dict[str, list[str]]:
        """Names, nicknames and slogans by entry id, for the classifier's contestant lexicon."""
        return {e.id: [*e.names, *e.nicknames] for e in self.entries}


def load_watchlist(path: Path) -> Watchlist:
    """Load a YAML watch-list, or a plain text file of ``account_id`` / ``platform:account_id``."""
    if path.suffix in (".txt", ".list", ""):
        return _from_text(path)
    raw = convert(load_yaml(path), WatchlistFile, path)
    roles = (("contestant", raw.contestants), ("party", raw.parties), ("team", raw.campaign_teams))
    by_account: dict[str, tuple[Contestant, str]] = {}
    for role, entries in roles:
        for entry in entries:
            for account in entry.accounts:
                _add(by_account, f"{account.platform}:{account.account_id}", entry, role, path)
            for group in entry.groups:
                _add(by_account, f"{group.platform}:{group.group_id}", entry, role, path)
    entries = (*raw.contestants, *raw.parties, *raw.campaign_teams)
    return Watchlist(
        raw.version, raw.election_id, raw.valid_from, raw.valid_to, raw.phases, entries, by_account
    )


def _add(
    index: dict[str, tuple[Contestant, str]], key: str, entry: Contestant, role: str, path: Path
) -> None:
    if key in index and index[key][0].id != entry.id:
        raise InvalidReferenceData(
            f"{path}: account {key} listed under {index[key][0].id} and {entry.id}"
        )
    index[key] = (entry, role)


def _from_text(path: Path) -> Watchlist:
    by_account: dict[str, tuple[Contestant, str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidReferenceData(f"{path}: cannot read: {exc.strerror}") from None
    for number, line in enumerate(lines, start=1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        if any(ch.isspace() for ch in value):
            raise InvalidReferenceData(
                f"{path}: line {number}: one account id per line, got {value!r}"
            )
        entry = Contestant(id=f"listed:{value}", names=(), kind="listed")
        by_account[value] = (entry, "contestant")
    return Watchlist(f"file:{path.name}", "", None, None, (), (), by_account)
