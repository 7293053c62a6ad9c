import { ApiError, api, clear, el, emptyState, errorState, frame, messageOf, severityBadge, show, start, statusBadge, timeElement } from "./desk.js";
import { highlighted } from "./highlight.js";
import { label, t } from "./i18n.js";

const OUTCOMES = ["false_positive", "confirmed", "dismissed", "not_asn_account", "out_of_scope"];
const SNOOZE_MINUTES = { "1h": 60, "4h": 240, "1d": 1440, "3d": 4320, "7d": 10080 };
const caseId = decodedId(location.pathname.split("/").pop());

function decodedId(raw) {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a malformed %-escape: ask for it as it is, and let the API say it is unknown
  }
}

start(async () => {
  const me = await frame("inbox");
  await load();
  watch(me.user?.username);
});

/** Someone else changed this case (or the pipeline did): offer to reload, never reload under
 * a person who may be typing a comment. */
function watch(username) {
  const banner = document.getElementById("changed");
  banner.addEventListener("click", () => {
    banner.hidden = true;
    load();
  });
  new EventSource("/api/v1/stream").addEventListener("case", (message) => {
    let item;
    try {
      item = JSON.parse(message.data);
    } catch {
      return;
    }
    if (item.case_id !== caseId || item.by === username) return;
    banner.textContent = t("case.changed", { action: label("action", item.action ?? "") });
    banner.hidden = false;
  });
}

async function load() {
  try {
    render(await api(`/api/v1/cases/${encodeURIComponent(caseId)}`));
  } catch (error) {
    document.getElementById("case-title").textContent = t("case.title", { id: caseId });
    document.title = `${t("case.title", { id: caseId })} · Netral`;
    const main = document.querySelector(".case-grid");
    main.replaceWith(errorState(error, error instanceof ApiError && error.status >= 500 ? () => location.reload() : undefined));
  }
}

function render(item) {
  const title = t("case.title", { id: item.case_id });
  document.getElementById("case-title").textContent = title;
  document.title = `${title} · Netral`;
  show(document.getElementById("case-head"),
    severityBadge(item.severity), statusBadge(item.status),
    el("span", { class: "badge" }, label("category", item.category)),
    el("span", { class: "badge" }, `${t("case.level")} ${item.level ?? 1}`));
  show(document.getElementById("evidence"), ...evidence(item));
  show(document.getElementById("summary"), summary(item));
  show(document.getElementById("notified"), notified(item.notified ?? []));
  show(document.getElementById("timeline"), timeline(item.timeline ?? []));
  show(document.getElementById("actions"), actions(item));
}

function evidence(item) {
  const texts = item.excerpts?.length
    ? item.excerpts
    : [{ field: item.excerpt_field ?? "text", text: item.excerpt ?? "", spans: item.spans ?? [] }];
  const describe = (rules) => t("case.highlight_rule", { rules: rules.join(", ") });
  const nodes = [el("h3", { class: "visually-hidden" }, t("case.evidence_text"))];
  for (const part of texts) {
    nodes.push(el("p", { class: "help" }, `${t("case.field")}: `, el("code", {}, part.field)));
    nodes.push(part.text
      ? el("blockquote", { class: "evidence-text", "data-field": part.field }, highlighted(part.text, part.spans, describe))
      : emptyState(t("case.no_text")));
  }
  nodes.push(el("h3", {}, t("case.rules")));
  const rules = byRule(item.evidence ?? []);
  nodes.push(rules.length === 0 ? emptyState(t("case.no_evidence")) : el("ul", { class: "rules" }, rules.map(rule)));
  return nodes;
}

/** One entry per rule, with every distinct match it made (a rule often fires on several words). */
function byRule(evidence) {
  const rules = new Map();
  for (const ev of evidence) {
    const entry = rules.get(ev.rule_id) ?? { ...ev, matches: [], fields: new Set() };
    if (!entry.matches.includes(ev.match)) entry.matches.push(ev.match);
    entry.fields.add(ev.field);
    rules.set(ev.rule_id, entry);
  }
  return [...rules.values()];
}

function rule(entry) {
  const quotes = entry.matches.flatMap((m, i) => (i ? [", ", el("q", {}, m ?? "")] : [el("q", {}, m ?? "")]));
  return el("li", { "data-rule": entry.rule_id },
    el("div", {}, el("span", { class: "rule-id" }, entry.rule_id), " · ", label("category", entry.category)),
    el("div", {}, el("strong", {}, `${t("case.enforces")}: `), entry.enforces || "—"),
    el("div", {}, el("strong", {}, `${t("case.matched")}: `), ...quotes, " ",
      el("span", { class: "help" }, `(${t("case.field")} ${[...entry.fields].join(", ")})`)));
}

function summary(item) {
  const rows = [
    ["employee", item.employee_id ?? "—"], ["unit", item.unit ?? "—"], ["account", item.account_id],
    ["category", label("category", item.category)], ["severity", severityBadge(item.severity)],
    ["status", statusBadge(item.status)], ["level", String(item.level ?? 1)], ["count", String(item.count ?? "")],
    ["first_seen", timeElement(item.first_seen)], ["last_seen", timeElement(item.last_seen)],
    ["assignee", item.assignee ?? t("case.nobody")],
  ];
  if (item.outcome) rows.push(["outcome", label("outcome", item.outcome)]);
  return el("dl", { class: "facts" }, rows.map(([key, value]) => [el("dt", {}, t(`case.${key}`)), el("dd", {}, value)]));
}

function notified(entries) {
  if (entries.length === 0) return emptyState(t("case.nobody_notified"));
  return el("ul", { class: "notified" }, entries.map((n) =>
    el("li", {}, timeElement(n.at), ` · ${t("case.level")} ${n.level ?? ""} · `,
      (n.recipients ?? []).join(", ") || "—",
      n.channels?.length ? el("span", { class: "help" }, ` (${n.channels.join(", ")})`) : null)));
}

function timeline(entries) {
  if (entries.length === 0) return emptyState("—");
  return el("ol", { class: "timeline" }, entries.map((entry) =>
    el("li", { "data-action": entry.action },
      el("div", {}, el("span", { class: "what" }, label("action", entry.action)), " ",
        el("span", { class: "who" }, t("case.by", { who: entry.by ?? "netral" }))),
      el("div", { class: "when" }, timeElement(entry.at)),
      entry.note ? el("p", { class: "note" }, entry.note) : null)));
}

function actions(item) {
  if (!item.can_act) return el("p", { class: "state" }, t("case.read_only"));
  const resolved = item.status === "resolved";
  const comment = el("textarea", { id: "comment", name: "comment", rows: "3", maxlength: "4000", "aria-describedby": "comment-help" });
  const error = el("p", { id: "action-error", class: "field-error", role: "alert" });
  const form = el("form", { class: "actions", novalidate: true, onsubmit: (e) => e.preventDefault() },
    el("label", { for: "comment" }, t("case.comment")),
    comment,
    el("p", { id: "comment-help", class: "help" }, t("case.comment_required")),
    error);
  const button = (action, text, build, cls) =>
    el("button", { type: "button", class: cls, "data-action": action, onclick: () => act(action, build, comment, error) }, text);
  const withComment = () => (comment.value.trim() ? { comment: comment.value.trim() } : {});
  if (resolved) {
    form.append(el("div", { class: "action-row" },
      button("reopen", t("case.reopen"), () => needComment(comment, error, "reopen")),
      button("comment", t("case.add_comment"), () => needComment(comment, error, "comment"), "secondary")));
    return form;
  }
  form.append(el("div", { class: "action-row" },
    item.status !== "acknowledged" ? button("ack", t("case.ack"), withComment) : null,
    button("comment", t("case.add_comment"), () => needComment(comment, error, "comment"), "secondary")));
  const outcome = el("select", { id: "outcome", name: "outcome" }, OUTCOMES.map((o) => el("option", { value: o }, label("outcome", o))));
  form.append(el("fieldset", {}, el("legend", {}, t("case.resolve")),
    el("label", { for: "outcome" }, t("case.resolve_as")), outcome,
    el("div", { class: "action-row" },
      button("resolve", t("case.resolve"), () => ({ outcome: outcome.value, ...needComment(comment, error, "resolve") })))));
  const assignee = el("input", { id: "assignee", name: "assignee", autocomplete: "off", spellcheck: "false", value: item.assignee ?? "" });
  form.append(el("fieldset", {}, el("legend", {}, t("case.assign")),
    el("label", { for: "assignee" }, t("case.assign_to")), assignee,
    el("div", { class: "action-row" },
      button("assign", t("case.assign"), () => ({ assignee: required(assignee, error), ...withComment() }), "secondary"))));
  const duration = el("select", { id: "snooze", name: "snooze" },
    Object.keys(SNOOZE_MINUTES).map((d) => el("option", { value: d }, t(`duration.${d}`))));
  form.append(el("fieldset", {}, el("legend", {}, t("case.snooze")),
    el("label", { for: "snooze" }, t("case.snooze_for")), duration,
    el("div", { class: "action-row" },
      button("snooze", t("case.snooze"), () => ({ minutes: SNOOZE_MINUTES[duration.value], ...withComment() }), "secondary"))));
  return form;
}

class MissingInput extends Error {}

function needComment(comment, error, action) {
  const text = comment.value.trim();
  if (!text) {
    comment.setAttribute("aria-invalid", "true");
    error.textContent = action === "resolve" ? t("case.comment_required") : `${t("case.comment")}?`;
    comment.focus();
    throw new MissingInput();
  }
  return { comment: text };
}

function required(input, error) {
  const value = input.value.trim();
  if (!value) {
    input.setAttribute("aria-invalid", "true");
    error.textContent = `${t("case.assign_to")}?`;
    input.focus();
    throw new MissingInput();
  }
  return value;
}

async function act(action, build, comment, error) {
  let body;
  error.textContent = "";
  for (const field of document.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  try {
    body = build();
  } catch (missing) {
    if (missing instanceof MissingInput) return;
    throw missing;
  }
  const flash = document.getElementById("action-status");
  for (const b of document.querySelectorAll(".actions button")) b.disabled = true;
  try {
    const updated = await api(`/api/v1/cases/${encodeURIComponent(caseId)}/${action}`, { method: "POST", body });
    render(updated);
    flash.className = "flash";
    flash.textContent = t("case.done", { action: label("action", action) });
    flash.tabIndex = -1;
    flash.focus();
  } catch (failure) {
    for (const b of document.querySelectorAll(".actions button")) b.disabled = false;
    error.textContent = messageOf(failure);
    if (failure instanceof ApiError && failure.status === 422) {
      const field = document.getElementById(failure.field === "assignee" ? "assignee" : "comment");
      field?.setAttribute("aria-invalid", "true");
      field?.focus();
    }
  }
}
