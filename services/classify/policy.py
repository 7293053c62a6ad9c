"""Policy packs: the classifier's rules, lexicons, thresholds and severities as versioned data.

Policy staff edit the YAML; :func:`load_policy` validates it (unknown categories, lexicons a rule
names but nobody defined, weights outside 0..1) and compiles it with the watch-list into a
:class:`Policy` the pure core can run. A pack that fails validation raises
:class:`InvalidReferenceData` naming the file and field, and never replaces a loaded one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from msgspec import Meta

from services.classify.matchers import PhraseMatcher
from services.classify.model import CompiledModel, LinearModel, load_model
from services.classify.normalize import Normalizer, fold, tokenize
from services.classify.watchlist import Watchlist
from shared.errors import InvalidReferenceData
from shared.reference import convert, load_yaml
from shared.schema.event import Kind
from shared.schema.verdict import CATEGORIES, Category, Severity

Weight = Annotated[float, Meta(ge=0.0, le=1.0)]
CONTESTANT_LEXICON = "contestant"


@dataclass(frozen=True, slots=True)
class CategoryPolicy:
    threshold: Weight
    severity: Severity
    enforces: str


@dataclass(frozen=True, slots=True)
class Unless:
    lexicon: str
    before: Annotated[int, Meta(ge=0, le=10)] = 2


@dataclass(frozen=True, slots=True)
class Rule:
    """Fires when a phrase of every lexicon in ``all`` occurs within ``window`` tokens of the first
    (only for the event ``kinds`` listed, when any are).

    ``window`` null means anywhere in the event's own content. ``unless`` vetoes a hit of the first
    lexicon preceded (within ``before`` tokens) by a phrase of another lexicon, e.g. a negation.
    """

    id: str
    category: Category
    all: Annotated[tuple[str, ...], Meta(min_length=1, max_length=4)]
    weight: Weight
    enforces: str
    window: Annotated[int, Meta(ge=1, le=50)] | None = 8
    unless: tuple[Unless, ...] = ()
    kinds: tuple[Kind, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """A hard-negative cue (news, socialisation, a rule being quoted, a debunk, a question):
    when present, the listed categories' text scores are multiplied by ``factor``. ``unless``
    ignores a cue preceded by a phrase of another lexicon ("sok netral" mocks, it does not
    remind); the context applies when any of its cues is left. ``unless_present`` cancels it
    when any of those lexicons occurs anywhere in the event ("bener kan?? VIRALKAN" is not a
    question)."""

    id: str
    lexicon: str
    dampens: tuple[Category, ...]
    factor: Weight
    description: str = ""
    unless: tuple[Unless, ...] = ()
    unless_present: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportedSpeech:
    """Quoting or reporting a slur is not using it ("dia bilang 'dasar kadrun'", "jangan sebut
    mereka kadrun"): when every hit of the first lexicon of each rule that fired for a listed
    category sits inside quotation marks, or within ``before`` tokens after a phrase of
    ``lexicon``, that category's score is multiplied by ``factor``."""

    id: str
    lexicon: str
    dampens: tuple[Category, ...]
    factor: Weight
    before: Annotated[int, Meta(ge=0, le=10)] = 3
    description: str = ""


@dataclass(frozen=True, slots=True)
class EngagementPolicy:
    weights: dict[str, Weight]
    enforces: str
    endorsing_severity: Severity = "medium"


@dataclass(frozen=True, slots=True)
class Claim:
    """A debunked election claim: it matches when ``min_groups`` of its term groups occur,
    in any order and anywhere in the event's own content."""

    id: str
    summary: str
    terms: Annotated[tuple[tuple[str, ...], ...], Meta(min_length=2, max_length=12)]
    min_groups: Annotated[int, Meta(ge=2)]
    year: int | None = None
    verdict: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimRegistry:
    version: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class ClaimPolicy:
    registry: str
    weight: Weight
    enforces: str


@dataclass(frozen=True, slots=True)
class ModelPolicy:
    """The linear model beside the rules: its probability times ``weight`` joins the category's
    rule weights when it reaches ``min_probability``."""

    path: str
    weight: Weight
    min_probability: Weight
    enforces_suffix: str = "(model)"
    gates: dict[Category, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PersonNames:
    """Names no lexicon can list (local candidates, caleg, the neighbour who runs): a word
    written with a capital right after a phrase of ``after`` ("Bang Rizal", "Bu Sri") becomes a
    hit of the lexicon ``name``, unless a phrase of ``exclude`` starts there ("Pak RT", "Bu Guru").
    Rules and gates use ``name`` like any lexicon."""

    name: str
    after: str
    exclude: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyFile:
    version: Annotated[str, Meta(min_length=1)]
    categories: dict[Category, CategoryPolicy]
    engagement: EngagementPolicy
    lexicons: dict[str, tuple[str, ...]]
    rules: tuple[Rule, ...]
    contexts: tuple[Context, ...] = ()
    slang: dict[str, str] = field(default_factory=dict)
    ambiguous_names: tuple[str, ...] = ()
    share_weight: Weight = 0.7
    hoax_claims: ClaimPolicy | None = None
    model: ModelPolicy | None = None
    reported_speech: ReportedSpeech | None = None
    person_names: PersonNames | None = None


@dataclass(frozen=True)
class Policy:
    """A validated pack compiled against one watch-list: what :func:`classify` runs."""

    version: str
    source: PolicyFile
    watchlist: Watchlist
    matcher: PhraseMatcher
    normalizer: Normalizer
    rules_by_first: dict[str, tuple[Rule, ...]]
    contexts_by_lexicon: dict[str, tuple[Context, ...]]
    claims: dict[str, Claim]
    claim_of_lexicon: dict[str, str]
    entry_of_name: dict[str, str]
    model: CompiledModel | None = None
    # Model gates inverted: lexicon -> (category, position in its gate); categories with none.
    gates_by_lexicon: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    ungated: frozenset[str] = frozenset()
    model_categories: tuple[str, ...] = ()
    rule_by_id: dict[str, Rule] = field(default_factory=dict)


def load_policy(path: Path, watchlist: Watchlist) -> Policy:
    pack = convert(load_yaml(path), PolicyFile, path)
    registry = None
    if pack.hoax_claims is not None:
        registry_path = path.parent / pack.hoax_claims.registry
        registry = convert(load_yaml(registry_path), ClaimRegistry, registry_path)
    model = load_model(path.parent / pack.model.path) if pack.model is not None else None
    return compile_policy(pack, watchlist, path, registry, model)


def compile_policy(
    pack: PolicyFile,
    watchlist: Watchlist,
    path: Path | str = "<policy>",
    registry: ClaimRegistry | None = None,
    model: LinearModel | None = None,
) -> Policy:
    missing = [c for c in CATEGORIES if c not in pack.categories]
    if missing:
        raise InvalidReferenceData(f"{path}: categories: missing {', '.join(missing)}")
    lexicons = {name: list(phrases) for name, phrases in pack.lexicons.items()}
    lexicons.setdefault(CONTESTANT_LEXICON, []).extend(
        name for names in watchlist.cue_names().values() for name in names
    )
    if pack.person_names is not None:
        if pack.person_names.name in lexicons:
            raise InvalidReferenceData(
                f"{path}: person_names: name {pack.person_names.name!r} is already a lexicon"
            )
        lexicons[pack.person_names.name] = []  # filled per event from the text's casing
    seen_ids: set[str] = set()
    for where, rule_id, names in _references(pack):
        if rule_id in seen_ids:
            raise InvalidReferenceData(f"{path}: {where}: duplicate id {rule_id!r}")
        seen_ids.add(rule_id)
        for name in names:
            if name not in lexicons:
                raise InvalidReferenceData(f"{path}: {where} ({rule_id}): unknown lexicon {name!r}")
    claims, claim_of_lexicon = _claim_lexicons(registry, lexicons, path)
    ambiguous = frozenset(fold(name) for name in pack.ambiguous_names)
    matcher = PhraseMatcher.build(lexicons, pack.slang, ambiguous)
    rules_by_first: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        rules_by_first.setdefault(rule.all[0], []).append(rule)
    contexts: dict[str, list[Context]] = {}
    for context in pack.contexts:
        contexts.setdefault(context.lexicon, []).append(context)
    version = f"{pack.version}+{watchlist.version}"
    if registry is not None:
        version += f"+{registry.version}"
    if model is not None:
        version += f"+{model.version}"
    return Policy(
        version,
        pack,
        watchlist,
        matcher,
        Normalizer(pack.slang, matcher.vocab),
        {k: tuple(v) for k, v in rules_by_first.items()},
        {k: tuple(v) for k, v in contexts.items()},
        claims,
        claim_of_lexicon,
        {
            tokenize([("name", name)], pack.slang).text.strip(): entry_id
            for entry_id, names in watchlist.cue_names().items()
            for name in names
        },
        CompiledModel(model) if model is not None else None,
        *_gates(pack, model),
        rule_by_id={rule.id: rule for rule in pack.rules},
    )


def _gates(
    pack: PolicyFile, model: LinearModel | None
) -> tuple[dict[str, tuple[tuple[str, int], ...]], frozenset[str], tuple[str, ...]]:
    if pack.model is None or model is None:
        return {}, frozenset(), ()
    by_lexicon: dict[str, list[tuple[str, int]]] = {}
    ungated = []
    for category in model.categories:
        gate = pack.model.gates.get(category)  # type: ignore[call-overload]
        if not gate:
            ungated.append(category)
        for position, lexicon in enumerate(gate or ()):
            by_lexicon.setdefault(lexicon, []).append((category, position))
    gates = {lexicon: tuple(found) for lexicon, found in by_lexicon.items()}
    return gates, frozenset(ungated), tuple(model.categories)


def _claim_lexicons(
    registry: ClaimRegistry | None, lexicons: dict[str, list[str]], path: Path | str
) -> tuple[dict[str, Claim], dict[str, str]]:
    """Each claim's term groups become lexicons ``claim:<id>:<n>`` in the one automaton."""
    claims: dict[str, Claim] = {}
    claim_of_lexicon: dict[str, str] = {}
    for claim in registry.claims if registry else ():
        if claim.id in claims:
            raise InvalidReferenceData(f"{path}: hoax claims: duplicate id {claim.id!r}")
        if claim.min_groups > len(claim.terms):
            raise InvalidReferenceData(
                f"{path}: hoax claim {claim.id}: min_groups {claim.min_groups} > "
                f"{len(claim.terms)} term groups"
            )
        claims[claim.id] = claim
        for number, group in enumerate(claim.terms):
            name = f"claim:{claim.id}:{number}"
            lexicons[name] = list(group)
            claim_of_lexicon[name] = claim.id
    return claims, claim_of_lexicon


def _references(pack: PolicyFile) -> list[tuple[str, str, list[str]]]:
    refs = []
    for index, rule in enumerate(pack.rules):
        refs.append((f"rules[{index}]", rule.id, [*rule.all, *(u.lexicon for u in rule.unless)]))
    for index, context in enumerate(pack.contexts):
        refs.append(
            (
                f"contexts[{index}]",
                context.id,
                [
                    context.lexicon,
                    *(u.lexicon for u in context.unless),
                    *context.unless_present,
                ],
            )
        )
    if pack.reported_speech is not None:
        refs.append(("reported_speech", pack.reported_speech.id, [pack.reported_speech.lexicon]))
    if pack.person_names is not None:
        names = pack.person_names
        refs.append(
            ("person_names", f"names:{names.name}", [names.after, *filter(None, [names.exclude])])
        )
    for category, gate in pack.model.gates.items() if pack.model else ():
        refs.append(("model.gates", f"gate:{category}", list(gate)))
    return refs
