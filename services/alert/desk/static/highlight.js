// Highlight matched spans of hostile text without ever parsing it as markup.
//
// The API's offsets are Python string indices, i.e. Unicode code points, while JS strings are
// UTF-16: "🗳️ coblos" has the ballot box as one code point but two UTF-16 units. So the text is
// split into code points first (Array.from) and every slice is taken on that array.

/**
 * Cut `text` at the span boundaries: [{text, rules: [rule_id...]}], in order, covering all of it.
 * Spans out of range are clamped; empty or inverted ones are ignored; overlaps merge.
 */
export function segments(text, spans) {
  const points = Array.from(text ?? "");
  const valid = (spans ?? [])
    .map((s) => ({ start: clamp(s.start, points.length), end: clamp(s.end, points.length), rule: s.rule_id }))
    .filter((s) => s.end > s.start);
  const cuts = new Set([0, points.length]);
  for (const s of valid) cuts.add(s.start).add(s.end);
  const bounds = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const rules = [...new Set(valid.filter((s) => s.start <= from && s.end >= to).map((s) => s.rule))];
    out.push({ text: points.slice(from, to).join(""), rules });
  }
  return out;
}

function clamp(value, length) {
  const n = Number.isInteger(value) ? value : 0;
  return Math.max(0, Math.min(n, length));
}

/** The text as nodes: plain runs as text nodes, matched runs as <mark> holding a text node. */
export function highlighted(text, spans, describe) {
  const fragment = document.createDocumentFragment();
  for (const part of segments(text, spans)) {
    if (part.rules.length === 0) {
      fragment.append(document.createTextNode(part.text));
      continue;
    }
    const mark = document.createElement("mark");
    mark.dataset.rules = part.rules.join(" ");
    mark.title = describe(part.rules);
    mark.append(document.createTextNode(part.text));
    fragment.append(mark);
  }
  return fragment;
}
