"""``classify(event, policy, now) -> Verdict``: the pure core. No I/O, no clock reads, no globals.

Steps: 1. gather the event's own content (text, hashtags, media text; a share's quoted text at a
lower weight) into one token stream; 2. find every lexicon phrase in one Aho-Corasick pass;
3. fire the rules anchored on the lexicons that were hit; 4. combine rule weights per category
(noisy-or) and damp them where a hard-negative context is present; 5. add watch-list engagement
from the interaction itself; 6. label what crosses its threshold, always with evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from services.classify.matchers import Hit, add_person_names
from services.classify.model import predict
from services.classify.normalize import Document
from services.classify.policy import Policy, Rule
from shared.schema import CATEGORIES, Event, Evidence, Verdict
from shared.schema.verdict import Severity, severity_rank

EXCERPT_RADIUS = 60
BALANCED_MENTIONS = 3
BALANCED_FACTOR = 0.5
QUOTED_FIELD = "target.text"
# Quoted passages: double quotes of any kind, or single quotes around at least two words (one
# word in single quotes is a scare quote: "dasar 'kadrun'" still uses the word).
_QUOTED = re.compile(
    r'"[^"\n]+"|“[^”\n]+”|«[^»\n]+»|‘[^’\n]*\s[^’\n]*’|(?<!\w)\'[^\'\n]*\s[^\'\n]*\'(?!\w)'
)
# Evidence still to build: (rule id, enforces, weight, hits), or one already built.
Pending = tuple[str, str, float, Sequence[Hit]] | Evidence


def classify(event: Event, policy: Policy, now: datetime) -> Verdict:
    pack = policy.source
    fields = content_fields(event)
    doc = policy.normalizer.document(fields)
    hits_by_lexicon = policy.matcher.find(doc)
    if (names := pack.person_names) is not None:
        add_person_names(doc, hits_by_lexicon, names.name, names.after, names.exclude)

    weights: dict[str, list[float]] = {}
    evidence: dict[str, list[Pending]] = {}
    for lexicon in hits_by_lexicon:
        for rule in policy.rules_by_first.get(lexicon, ()):
            if rule.kinds and event.kind not in rule.kinds:
                continue
            fired = _fire(rule, hits_by_lexicon, doc)
            if fired is None:
                continue
            quoted = all(fields[doc.field_of[h.first]][0] == QUOTED_FIELD for h in fired)
            weight = rule.weight * (pack.share_weight if quoted else 1.0)
            weights.setdefault(rule.category, []).append(weight)
            evidence.setdefault(rule.category, []).append(
                (rule.id, rule.enforces, rule.weight, fired)
            )

    _match_claims(policy, hits_by_lexicon, doc, fields, weights, evidence)
    _apply_model(policy, doc, hits_by_lexicon, weights, evidence)
    scores = dict.fromkeys(CATEGORIES, 0.0)
    for category, found in weights.items():
        if category in scores:
            scores[category] = _noisy_or(found)
    negated_by = _apply_contexts(policy, hits_by_lexicon, scores, doc)
    reported = _reported_speech(policy, hits_by_lexicon, evidence, doc, scores)
    if reported:
        negated_by.append(reported)
    named = _contestants(policy, doc, hits_by_lexicon)
    if len(named) >= BALANCED_MENTIONS:
        # Naming every pair side by side is how KPU, news and debate recaps read.
        for category in ("partisan_support", "partisan_opposition"):
            scores[category] *= BALANCED_FACTOR
        negated_by.append("CTX-BALANCED-MENTION")
    engaged = _engagement(event, policy, scores, evidence, negated_by)
    if engaged:
        named = [engaged, *(entry for entry in named if entry != engaged)]

    labels = tuple(
        c
        for c in CATEGORIES
        if evidence.get(c) and scores[c] >= pack.categories[c].threshold  # type: ignore[index]
    )
    per_label = _label_severities(event, policy, labels)
    return Verdict(
        event_id=event.event_id,
        account_id=event.account_id,
        scores={c: round(s, 4) if s else s for c, s in scores.items()},
        labels=labels,  # type: ignore[arg-type]
        severity=max(per_label.values(), key=severity_rank, default="none"),
        label_severity=per_label,
        evidence=tuple(e for c in labels for e in _evidence(c, evidence[c], doc)),
        policy_version=policy.version,
        classified_at=now,
        event=event,
        negated_by=tuple(negated_by),
        election_id=policy.watchlist.election_of(named),
        phase=policy.watchlist.phase(event.created_at),
        contestants=tuple(named),
    )


def content_fields(event: Event) -> list[tuple[str, str]]:
    """The ASN's own words first; a shared post's text is scanned as quoted content."""
    fields = [("text", event.text)]
    fields.extend((f"hashtags[{i}]", f"#{tag.lstrip('#')}") for i, tag in enumerate(event.hashtags))
    for i, media in enumerate(event.media):
        if media.ocr_text:
            fields.append((f"media[{i}].ocr_text", media.ocr_text))
        if media.alt_text:
            fields.append((f"media[{i}].alt_text", media.alt_text))
    if event.kind == "share" and event.target is not None and event.target.text:
        fields.append((QUOTED_FIELD, event.target.text))
    return fields


def _apply_model(
    policy: Policy,
    doc: Document,
    hits: dict[str, list[Hit]],
    weights: dict[str, list[float]],
    evidence: dict[str, list[Pending]],
) -> None:
    """The linear model's say, only where the event carries one of the category's domain cues
    (its gate), with that cue and the tokens that carried the model as evidence."""
    setting, model = policy.source.model, policy.model
    if setting is None or model is None:
        return
    cue_of = _first_cues(policy, hits)
    if not cue_of:
        return  # no category's gate is open: the model could not add anything
    for category, contribution in predict(model, doc, setting.min_probability, cue_of).items():
        if contribution.probability < setting.min_probability or not contribution.tokens:
            continue
        weight = setting.weight * contribution.probability
        weights.setdefault(category, []).append(weight)
        enforces = f"{policy.source.categories[category].enforces} {setting.enforces_suffix}"  # type: ignore[index]
        strongest = [Hit("model", a, b) for a, b, _ in contribution.tokens[:3]]
        cue = cue_of[category]
        evidence.setdefault(category, []).append(
            (f"ML-{category}", enforces, weight, [*cue, *strongest])
        )


def _first_cues(policy: Policy, hits: dict[str, list[Hit]]) -> dict[str, tuple[Hit, ...]]:
    """Per model category whose gate is open, the first hit of its first gate lexicon present
    (none for a category without a gate), in the model's category order."""
    best: dict[str, tuple[int, Hit]] = {}
    for lexicon in hits:
        for category, position in policy.gates_by_lexicon.get(lexicon, ()):
            if category not in best or position < best[category][0]:
                best[category] = (position, hits[lexicon][0])
    return {
        category: (best[category][1],) if category in best else ()
        for category in policy.model_categories
        if category in best or category in policy.ungated
    }


def _match_claims(
    policy: Policy,
    hits: dict[str, list[Hit]],
    doc: Document,
    fields: list[tuple[str, str]],
    weights: dict[str, list[float]],
    evidence: dict[str, list[Pending]],
) -> None:
    """A registered debunked claim fires when enough of its term groups occur, in any order."""
    setting = policy.source.hoax_claims
    if setting is None:
        return
    groups: dict[str, list[Hit]] = {}
    for lexicon, found in hits.items():
        claim_id = policy.claim_of_lexicon.get(lexicon)
        if claim_id is not None:
            groups.setdefault(claim_id, []).append(found[0])
    for claim_id, first_hits in groups.items():
        claim = policy.claims[claim_id]
        if len(first_hits) < claim.min_groups:
            continue
        quoted = all(fields[doc.field_of[h.first]][0] == QUOTED_FIELD for h in first_hits)
        weight = setting.weight * (policy.source.share_weight if quoted else 1.0)
        weights.setdefault("hoax", []).append(weight)
        enforces = f"{setting.enforces}; {claim.summary}"
        fired = sorted(first_hits, key=lambda h: h.first)
        evidence.setdefault("hoax", []).append((claim.id, enforces, weight, fired))


def _fire(rule: Rule, hits: dict[str, list[Hit]], doc: Document) -> list[Hit] | None:
    others = rule.all[1:]
    if not all(name in hits for name in others):
        return None
    for anchor in hits[rule.all[0]]:
        if rule.unless and any(
            _vetoes(unless.lexicon, unless.before, anchor, hits, doc) for unless in rule.unless
        ):
            continue
        fired = [anchor]
        for name in others:
            partner = _nearest(hits[name], anchor, rule.window, doc)
            if partner is None:
                break
            fired.append(partner)
        else:
            return fired
    return None


def _vetoes(
    lexicon: str, before: int, anchor: Hit, hits: dict[str, list[Hit]], doc: Document
) -> bool:
    field_of = doc.field_of
    field = field_of[anchor.first]
    return any(
        anchor.first - before <= h.last < anchor.first and field_of[h.first] == field
        for h in hits.get(lexicon, ())
    )


def _nearest(
    candidates: Sequence[Hit], anchor: Hit, window: int | None, doc: Document
) -> Hit | None:
    best: Hit | None = None
    best_gap = None
    for hit in candidates:
        if hit.first <= anchor.last and hit.last >= anchor.first:
            continue  # the same words cannot be both halves of a rule
        after, before = hit.first - anchor.last, anchor.first - hit.last
        gap = after if after >= before else before
        if window is not None and (
            gap > window or doc.field_of[hit.first] != doc.field_of[anchor.first]
        ):
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = hit, gap
    return best


def _evidence(category: str, pending: Iterable[Pending], doc: Document) -> list[Evidence]:
    """Evidence for a labelled category, built only once the label is known."""
    found = []
    for item in pending:
        if isinstance(item, Evidence):
            found.append(item)
            continue
        rule_id, enforces, weight, fired = item
        for hit in fired:
            start, end = doc.starts[hit.first], doc.ends[hit.last]
            name, text = doc.fields[doc.field_of[hit.first]]
            found.append(
                Evidence(
                    category=category,  # type: ignore[arg-type]
                    rule_id=rule_id,
                    field=name,
                    start=start,
                    end=end,
                    match=text[start:end],
                    excerpt=_excerpt(text, start, end),
                    enforces=enforces,
                    weight=weight,
                )
            )
    return found


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_RADIUS)
    right = min(len(text), end + EXCERPT_RADIUS)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def _apply_contexts(
    policy: Policy, hits: dict[str, list[Hit]], scores: dict[str, float], doc: Document
) -> list[str]:
    factors: dict[str, float] = {}
    applied: list[str] = []
    for lexicon in hits:
        for context in policy.contexts_by_lexicon.get(lexicon, ()):
            if context.unless_present and any(name in hits for name in context.unless_present):
                continue
            if context.unless and all(
                any(_vetoes(u.lexicon, u.before, cue, hits, doc) for u in context.unless)
                for cue in hits[lexicon]
            ):
                continue  # every cue is vetoed ("sok netral")
            applied.append(context.id)
            for category in context.dampens:
                factors[category] = min(factors.get(category, 1.0), context.factor)
    for damped, factor in factors.items():
        scores[damped] *= factor
    return applied


def _reported_speech(
    policy: Policy,
    hits: dict[str, list[Hit]],
    evidence: dict[str, list[Pending]],
    doc: Document,
    scores: dict[str, float],
) -> str | None:
    """Damp a category whose every rule cue is quoted or reported (see ``ReportedSpeech``)."""
    setting = policy.source.reported_speech
    if setting is None:
        return None
    applied = False
    for category in setting.dampens:
        if not scores.get(category):
            continue
        anchors = {
            rule.all[0]
            for item in evidence.get(category, ())
            if not isinstance(item, Evidence)
            and (rule := policy.rule_by_id.get(item[0])) is not None
        }
        if anchors and all(
            _quoted(hit, doc) or _vetoes(setting.lexicon, setting.before, hit, hits, doc)
            for lexicon in anchors
            for hit in hits[lexicon]
        ):
            scores[category] *= setting.factor
            applied = True
    return setting.id if applied else None


def _quoted(hit: Hit, doc: Document) -> bool:
    text = doc.fields[doc.field_of[hit.first]][1]
    start, end = doc.starts[hit.first], doc.ends[hit.last]
    return any(m.start() < start and end < m.end() for m in _QUOTED.finditer(text))


def _engagement(
    event: Event,
    policy: Policy,
    scores: dict[str, float],
    evidence: dict[str, list[Pending]],
    negated_by: list[str],
) -> str | None:
    """Score an interaction with a watch-listed account or group; return the entry id."""
    rule = policy.source.engagement
    weight = rule.weights.get(event.kind)
    if weight is None or event.target is None:
        return None
    watched = policy.watchlist.watched(event.platform, event.target.account_id)
    if watched is None:
        return None
    entry, role = watched
    if not policy.watchlist.in_window(event.created_at, entry.election):
        negated_by.append("outside-watchlist-window")
        return None
    account = event.target.account_id
    scores["contestant_engagement"] = _noisy_or([scores["contestant_engagement"], weight])
    evidence.setdefault("contestant_engagement", []).append(
        Evidence(
            category="contestant_engagement",
            rule_id=f"CE-{event.kind.upper()}",
            field="target.account_id",
            start=0,
            end=len(account),
            match=account,
            excerpt=f"{event.kind} on {role} account {account} ({entry.id})",
            enforces=rule.enforces,
            weight=weight,
        )
    )
    return entry.id


def _contestants(policy: Policy, doc: Document, hits: dict[str, list[Hit]]) -> list[str]:
    """Watch-list entries the event names, for grouping cases by contestant."""
    found: list[str] = []
    for hit in hits.get("contestant", ()):
        entry = policy.entry_of_name.get(" ".join(doc.norms[hit.first : hit.last + 1]))
        if entry and entry not in found:
            found.append(entry)
    return found


def _label_severities(event: Event, policy: Policy, labels: Sequence[str]) -> dict[str, Severity]:
    """The category's default severity; engagement that adds words of support is raised."""
    pack = policy.source
    severities: dict[str, Severity] = {}
    for label in labels:
        severity = pack.categories[label].severity  # type: ignore[index]
        if label == "contestant_engagement" and "partisan_support" in labels:
            severity = pack.engagement.endorsing_severity
        severities[label] = severity
    return severities
