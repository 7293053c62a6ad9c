"""The Redis case view: cases, their timelines and counted events, the indexes the decisions need,
the timer schedule, silences, and per-key locks. Batches read and write in pipelined round trips.

Redis holds derived state only: ``netral alert rebuild`` restores it from the case log.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from services.alert.silence import Silence
from shared import codec
from shared.redis import Keys
from shared.schema import Case, CaseChange


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a batch of findings needs to know before deciding."""

    cases: dict[str, Case]
    counted: set[tuple[str, str]]
    lows: dict[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class TimerReads:
    """What a batch of due timers needs: the cases themselves, the silences, each account's
    open high cases (the ones that can inhibit its other cases) and each election's employees
    with open cases."""

    cases: dict[str, Case]
    silences: list[Silence]
    inhibitors: dict[str, list[Case]]
    open_employees: dict[str, frozenset[str]]


class CaseStore:
    def __init__(self, client: Redis, keys: Keys, ttl_s: int) -> None:
        self.client = client
        self.keys = keys
        self.ttl_s = ttl_s
        self._apply = client.register_script(APPLY)
        self._answer = client.register_script(ANSWER)

    # -- reads ---------------------------------------------------------------------------------

    async def load(
        self,
        dedup_keys: Sequence[str],
        events: Sequence[tuple[str, str]],
        employees: Sequence[tuple[str, str]],
    ) -> Loaded:
        """Open cases by dedup key, which (dedup key, event_id) pairs they already counted, and
        how many low cases each (employee, election) has."""
        cases = await self.cases_by_key(dedup_keys)
        pairs = [(k, e) for k, e in events if k in cases]
        reads = CommandBatch()
        for key, event_id in pairs:
            reads.add("SISMEMBER", self.keys("case", cases[key].case_id, "events"), event_id)
        for employee, election in employees:
            reads.add("SCARD", self.keys("lows", employee, election))
        answers = await reads.run(self._answer)
        counted = {pair for pair, hit in zip(pairs, answers[: len(pairs)], strict=True) if hit}
        lows = dict(zip(employees, (int(n) for n in answers[len(pairs) :]), strict=True))
        return Loaded(cases, counted, lows)

    async def cases_by_key(self, dedup_keys: Sequence[str]) -> dict[str, Case]:
        if not dedup_keys:
            return {}
        ids = await self.client.mget([self.keys("case", "open", k) for k in dedup_keys])
        found = {k: _text(i) for k, i in zip(dedup_keys, ids, strict=True) if i is not None}
        cases = await self.get_many(list(found.values()))
        return {k: cases[i] for k, i in found.items() if i in cases}

    async def load_for_timers(
        self, case_ids: Sequence[str], account_ids: Sequence[str], election_ids: Sequence[str]
    ) -> TimerReads:
        """Everything :class:`TimerReads` holds, in two round trips."""
        pipe = self.client.pipeline(transaction=False)
        pipe.mget([self.keys("case", i) for i in case_ids])
        pipe.hvals(self.keys("silences"))
        for account_id in account_ids:
            pipe.smembers(self.keys("inhibitors", account_id))
        for election_id in election_ids:
            pipe.smembers(self.keys("open-employees", election_id))
        blobs, silences, *sets = await pipe.execute()
        cases = {i: codec.decode(b, Case) for i, b in zip(case_ids, blobs, strict=True) if b}
        members = dict(zip(account_ids, sets[: len(account_ids)], strict=True))
        ids = {a: [_text(i) for i in m] for a, m in members.items()}
        others = await self.get_many(list({i for f in ids.values() for i in f} - set(cases)))
        known = {**others, **cases}
        return TimerReads(
            cases,
            sorted((codec.decode(v, Silence) for v in silences), key=lambda s: s.starts_at),
            {a: [known[i] for i in found if i in known] for a, found in ids.items()},
            {
                e: frozenset(_text(m) for m in found)
                for e, found in zip(election_ids, sets[len(account_ids) :], strict=True)
            },
        )

    async def get(self, case_id: str) -> Case | None:
        return (await self.get_many([case_id])).get(case_id)

    async def get_many(self, case_ids: Sequence[str]) -> dict[str, Case]:
        if not case_ids:
            return {}
        blobs = await self.client.mget([self.keys("case", i) for i in case_ids])
        return {i: codec.decode(b, Case) for i, b in zip(case_ids, blobs, strict=True) if b}

    async def for_account(self, account_id: str) -> list[Case]:
        return (await self.for_accounts([account_id]))[account_id]

    async def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Case]]:
        """Each account's cases, in two round trips for any number of accounts."""
        pipe = self.client.pipeline(transaction=False)
        for account_id in account_ids:
            pipe.smembers(self.keys("account", account_id))
        members = await pipe.execute() if account_ids else []
        ids = {a: [_text(i) for i in m] for a, m in zip(account_ids, members, strict=True)}
        cases = await self.get_many(list({i for found in ids.values() for i in found}))
        return {a: [cases[i] for i in found if i in cases] for a, found in ids.items()}

    async def timeline(self, case_id: str) -> list[CaseChange]:
        raw = await self.client.lrange(self.keys("case", case_id, "timeline"), 0, -1)
        return [codec.decode(item, CaseChange) for item in raw]

    async def open_employees(self, election_id: str) -> frozenset[str]:
        return (await self.open_employees_in([election_id]))[election_id]

    async def open_employees_in(self, election_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        pipe = self.client.pipeline(transaction=False)
        for election_id in election_ids:
            pipe.smembers(self.keys("open-employees", election_id))
        members = await pipe.execute() if election_ids else []
        return {
            e: frozenset(_text(m) for m in found)
            for e, found in zip(election_ids, members, strict=True)
        }

    # -- writes --------------------------------------------------------------------------------

    async def save(
        self,
        changes: Sequence[CaseChange],
        counted: Iterable[tuple[str, str]] = (),
        due: dict[str, float | None] | None = None,
        encoded: Sequence[bytes] | None = None,
    ) -> None:
        """Apply case-log entries to the view in one atomic step: the latest state of each case,
        its indexes, its timeline, the events it counted, and its next timer. ``encoded`` are
        the entries as already encoded for the case log, if they were."""
        latest: dict[str, Case] = {}
        timelines: dict[str, list[bytes]] = {}
        blobs = encoded if encoded is not None else [codec.encode(entry) for entry in changes]
        for entry, blob in zip(changes, blobs, strict=True):
            latest[entry.case.case_id] = entry.case
            timelines.setdefault(entry.case.case_id, []).append(blob)
        events: dict[str, list[str]] = {}
        for case_id, event_id in counted:
            events.setdefault(case_id, []).append(event_id)
        writes = CommandBatch()
        # one command per case and key, however many entries a batch brought it
        for case_id, entries in timelines.items():
            timeline = self.keys("case", case_id, "timeline")
            writes.variadic("RPUSH", timeline, entries)
            writes.add("EXPIRE", timeline, self.ttl_s)
        for case in latest.values():
            self._write_case(writes, case)
        for case_id, event_ids in events.items():
            key = self.keys("case", case_id, "events")
            writes.variadic("SADD", key, event_ids)
            writes.add("EXPIRE", key, self.ttl_s)
        scheduled = [(when, i) for i, when in (due or {}).items() if when is not None]
        unscheduled = [i for i, when in (due or {}).items() if when is None]
        if scheduled:
            writes.variadic("ZADD", self.keys("due"), scheduled)
        if unscheduled:
            writes.variadic("ZREM", self.keys("due"), unscheduled)
        await writes.run(self._apply)

    def _write_case(self, writes: CommandBatch, case: Case) -> None:
        writes.add("SET", self.keys("case", case.case_id), codec.encode(case), "EX", self.ttl_s)
        open_key = self.keys("case", "open", case.key)
        account = self.keys("account", case.account_id)
        employee = case.asn.employee_id if case.asn else case.account_id
        lows = self.keys("lows", employee, case.election_id)
        open_employees = self.keys("open-employees", case.election_id)
        if case.status == "resolved":
            writes.add("DEL", open_key)
            writes.add("SREM", account, case.case_id)
            writes.add("SREM", lows, case.case_id)
            writes.add("SREM", open_employees, employee)
        else:
            writes.add("SET", open_key, case.case_id, "EX", self.ttl_s)
            writes.add("SADD", account, case.case_id)
            writes.add("EXPIRE", account, self.ttl_s)
            writes.add("SADD", open_employees, employee)
            # Cases that started low count toward the repeat rule, including the one it raised.
            if case.severity == "low" or "repeat-lows" in " ".join(case.raised_by):
                writes.add("SADD", lows, case.case_id)
                writes.add("EXPIRE", lows, self.ttl_s)
        # An account's open high cases: all a notice needs to know to be inhibited, however
        # many other cases the account has open.
        inhibitors = self.keys("inhibitors", case.account_id)
        if case.severity == "high" and case.status in ("open", "acknowledged"):
            writes.add("SADD", inhibitors, case.case_id)
            writes.add("EXPIRE", inhibitors, self.ttl_s)
        else:
            writes.add("SREM", inhibitors, case.case_id)

    # -- timers --------------------------------------------------------------------------------

    async def claim_due(self, now: float, lease_s: float = 30.0, limit: int = 200) -> list[str]:
        """Case ids whose timer has passed. Claiming pushes each timer ``lease_s`` ahead in one
        atomic step, so one caller gets it now and, if that caller dies, another gets it later."""
        ids = await self.client.eval(_CLAIM, 1, self.keys("due"), now, now + lease_s, limit)
        return [_text(i) for i in ids]

    # -- silences ------------------------------------------------------------------------------

    async def silences(self) -> list[Silence]:
        raw = await self.client.hvals(self.keys("silences"))
        return sorted((codec.decode(v, Silence) for v in raw), key=lambda s: s.starts_at)

    async def put_silence(self, silence: Silence) -> None:
        await self.client.hset(self.keys("silences"), silence.silence_id, codec.encode(silence))

    # -- locks ---------------------------------------------------------------------------------

    @asynccontextmanager
    async def locked(
        self, dedup_keys: Iterable[str], timeout_s: float = 30.0
    ) -> AsyncIterator[None]:
        """Hold the per-key locks, taken in a fixed order so two holders never deadlock. One
        script call takes every free key up to the first busy one; only a busy key costs a
        retry (2-50 ms backoff). Each lock expires after ``timeout_s`` in case its holder dies."""
        names = [self.keys("lock", k) for k in sorted(set(dedup_keys))]
        token = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        give_up = loop.time() + timeout_s
        delay, held = 0.002, 0
        try:
            while held < len(names):
                held += int(await self._lock(names[held:], token, timeout_s, upto_busy=True))
                if held == len(names):
                    break
                if loop.time() + delay > give_up:
                    raise TimeoutError(f"could not lock {names[held]!r} in {timeout_s}s")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.05)
            yield
        finally:
            if held:
                await self.client.eval(_UNLOCK, held, *names[:held], token)

    @asynccontextmanager
    async def locked_free(
        self, dedup_keys: Iterable[str], timeout_s: float = 30.0
    ) -> AsyncIterator[set[str]]:
        """Hold whichever of the per-key locks are free right now (one round trip) and yield
        their keys; busy ones are left for the caller to try again later. Never waits."""
        wanted = sorted(set(dedup_keys))
        names = [self.keys("lock", k) for k in wanted]
        token = uuid.uuid4().hex
        flags = await self._lock(names, token, timeout_s, upto_busy=False) if names else []
        held = [k for k, got in zip(wanted, flags, strict=True) if got]
        try:
            yield set(held)
        finally:
            if held:
                mine = [self.keys("lock", k) for k in held]
                await self.client.eval(_UNLOCK, len(mine), *mine, token)

    async def _lock(
        self, names: Sequence[str], token: str, timeout_s: float, upto_busy: bool
    ) -> Any:
        return await self.client.eval(
            _LOCK, len(names), *names, token, int(timeout_s * 1000), int(upto_busy)
        )

    async def retry_soon(self, case_ids: Iterable[str], when: float) -> None:
        """Put claimed timers back at ``when`` (their lease would otherwise hold them)."""
        mapping = {case_id: when for case_id in case_ids}
        if mapping:
            await self.client.zadd(self.keys("due"), mapping)


# ARGV holds, for each key in KEYS: the command, its argument count, its arguments.
_EACH = """
local at, replies = 1, {}
for i, key in ipairs(KEYS) do
  local n = tonumber(ARGV[at + 1])
  replies[i] = redis.call(ARGV[at], key, unpack(ARGV, at + 2, at + 1 + n))
  at = at + 2 + n
end
"""
APPLY = _EACH + "return #KEYS\n"
ANSWER = _EACH + "return replies\n"

_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return ids
"""


_LOCK = """
local got = {}
for i, key in ipairs(KEYS) do
  local ok = redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2])
  if ARGV[3] == '1' then
    if not ok then return i - 1 end
  else
    got[i] = ok and 1 or 0
  end
end
if ARGV[3] == '1' then return #KEYS end
return got
"""

_UNLOCK = """
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0
"""


class CommandBatch:
    """Single-key Redis commands run as one Lua script, with one reply for the whole batch
    instead of one per command (reading and parsing those replies was most of a verdict
    batch's Redis cost). The script is atomic, as MULTI/EXEC was for the writes."""

    # Lua's unpack takes at most about 8,000 values; longer commands are split.
    CHUNK = 1_000

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.args: list[Any] = []

    def add(self, command: str, key: str, *args: Any) -> None:
        self.keys.append(key)
        self.args += (command, len(args), *args)

    def variadic(self, command: str, key: str, items: Sequence[Any]) -> None:
        """``command key item...``, with tuple items spread; in chunks, for commands whose items
        are independent (RPUSH keeps their order across chunks)."""
        for first in range(0, len(items), self.CHUNK):
            chunk = items[first : first + self.CHUNK]
            if isinstance(chunk[0], tuple):
                chunk = [part for item in chunk for part in item]
            self.add(command, key, *chunk)

    async def run(self, script: AsyncScript) -> Any:
        """Run the commands with :data:`APPLY` (returns how many ran) or :data:`ANSWER` (returns
        each command's reply, in order)."""
        return await script(self.keys, self.args) if self.keys else []


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None
