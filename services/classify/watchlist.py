"""The contestant watch-list: candidates, parties and campaign teams, their accounts and groups,
the list's validity window and the election calendar (phases)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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
    region: str = ""  # Pilkada entries: the province or regency whose ballot they are on
    election: str = ""  # filled in on load: the election_id of the file that lists the entry


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
    # Other elections' lists loaded with this one (paths relative to this file), e.g. the
    # Pilkada's regional pairs beside the Pemilu's national list. One level: an included file
    # includes nothing itself.
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    version: str
    election_id: str
    valid_from: date | None
    valid_to: date | None
    phases: tuple[Phase, ...]
    entries: tuple[Contestant, ...]
    by_account: dict[str, tuple[Contestant, str]] = field(repr=False)
    # Each included election's validity window, by election_id.
    windows: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()

    def watched(self, platform: str, account_id: str) -> tuple[Contestant, str] | None:
        """The entry owning this account or group id, and its role (contestant/party/team)."""
        return self.by_account.get(f"{platform}:{account_id}") or self.by_account.get(account_id)

    def in_window(self, moment: datetime, election: str = "") -> bool:
        """Whether ``moment`` falls in the list's validity window: that of ``election`` when
        it is one of the included elections, the main list's otherwise."""
        valid_from, valid_to = self.windows.get(election, (self.valid_from, self.valid_to))
        day = moment.date()
        if valid_from and day < valid_from:
            return False
        return not (valid_to and day > valid_to)

    def phase(self, moment: datetime) -> str:
        """The phase holding ``moment`` that started last: on 1 Oct 2024 the Pilkada's
        campaign, not the Pemilu's post-election phase."""
        day = moment.date()
        holding = [phase for phase in self.phases if phase.start <= day <= phase.end]
        return max(holding, key=lambda phase: phase.start).name if holding else ""

    def election_of(self, entry_ids: Sequence[str]) -> str:
        """The election a verdict belongs to: that of the first entry it concerns (engaged or
        named) when that entry is on an included list, the main list's otherwise."""
        election_by_id = self._election_by_id
        for entry_id in entry_ids:
            if entry_id in election_by_id:
                return election_by_id[entry_id]
        return self.election_id

    @functools.cached_property
    def _election_by_id(self) -> dict[str, str]:
        return {e.id: e.election or self.election_id for e in self.entries}

    def cue_names(self) -> dict[str, list[str]]:
        """Names, nicknames and slogans by entry id, for the classifier's contestant lexicon."""
        return {e.id: [*e.names, *e.nicknames] for e in self.entries}


def load_watchlist(path: Path) -> Watchlist:
    """Load a YAML watch-list with the lists it includes, or a plain text file of
    ``account_id`` / ``platform:account_id``."""
    if path.suffix in (".txt", ".list", ""):
        return _from_text(path)
    main = convert(load_yaml(path), WatchlistFile, path)
    files = [(path, main)]
    for name in main.includes:
        included_path = path.parent / name
        included = convert(load_yaml(included_path), WatchlistFile, included_path)
        if included.includes:
            raise InvalidReferenceData(f"{included_path}: includes: one level only")
        if included.election_id == main.election_id:
            raise InvalidReferenceData(
                f"{included_path}: election_id {included.election_id!r} is the including list's"
            )
        files.append((included_path, included))
    by_account: dict[str, tuple[Contestant, str]] = {}
    entries: list[Contestant] = []
    seen_ids: dict[str, Path] = {}
    for file_path, raw in files:
        roles = (
            ("contestant", raw.contestants),
            ("party", raw.parties),
            ("team", raw.campaign_teams),
        )
        for role, listed in roles:
            for listed_entry in listed:
                if listed_entry.id in seen_ids:
                    other = seen_ids[listed_entry.id]
                    raise InvalidReferenceData(
                        f"{file_path}: entry {listed_entry.id!r} is also in {other}"
                    )
                seen_ids[listed_entry.id] = file_path
                entry = replace(listed_entry, election=raw.election_id)
                entries.append(entry)
                for account in entry.accounts:
                    key = f"{account.platform}:{account.account_id}"
                    _add(by_account, key, entry, role, file_path)
                for group in entry.groups:
                    _add(by_account, f"{group.platform}:{group.group_id}", entry, role, file_path)
    return Watchlist(
        "+".join(raw.version for _, raw in files),
        main.election_id,
        main.valid_from,
        main.valid_to,
        tuple(phase for _, raw in files for phase in raw.phases),
        tuple(entries),
        by_account,
        {raw.election_id: (raw.valid_from, raw.valid_to) for _, raw in files[1:]},
        tuple(file_path for file_path, _ in files),
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
