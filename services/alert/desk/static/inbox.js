import { api, clear, el, emptyState, errorState, frame, loading, onCase, severityBadge, show, start, statusBadge, timeElement } from "./desk.js";
import { label, t } from "./i18n.js";

const STATUSES = ["open", "acknowledged", "snoozed", "resolved"];
const SEVERITIES = ["high", "medium", "low"];
const CATEGORIES = [
  "contestant_engagement", "partisan_support", "partisan_opposition", "campaign_involvement",
  "money_politics", "intimidation", "hoax", "hate_speech",
];

const params = new URLSearchParams(location.search);
const filters = {
  status: params.get("status") ?? "open",
  severity: params.get("severity") ?? "",
  category: params.get("category") ?? "",
};
let items = [];
let cursor = null;

start(async () => {
  await frame("inbox");
  fillFilters();
  document.getElementById("more").addEventListener("click", () => load(true));
  await load(false);
  watch();
});

/** Say when cases open or change while the list is on screen; the person chooses to reload. */
function watch() {
  const banner = document.getElementById("arrived");
  const changed = new Set();
  banner.addEventListener("click", () => {
    changed.clear();
    banner.hidden = true;
    load(false);
  });
  const source = new EventSource("/api/v1/stream");
  source.addEventListener("open", () => (document.body.dataset.stream = "live"));
  source.addEventListener("error", () => delete document.body.dataset.stream);
  onCase(source, (item) => {
    changed.add(item.case_id);
    banner.textContent = t("inbox.arrived", { n: changed.size });
    banner.hidden = false;
  });
}

function fillFilters() {
  const choices = { status: STATUSES, severity: SEVERITIES, category: CATEGORIES };
  for (const [name, values] of Object.entries(choices)) {
    const select = document.getElementById(`f-${name}`);
    select.append(el("option", { value: "" }, t("inbox.any")));
    for (const value of values) select.append(el("option", { value }, label(name, value)));
    select.value = filters[name];
  }
}

async function load(more) {
  const region = document.getElementById("case-list");
  const button = document.getElementById("more");
  if (!more) {
    items = [];
    cursor = null;
    loading(region);
  }
  const query = new URLSearchParams({ limit: "50" });
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  if (more && cursor) query.set("cursor", cursor);
  try {
    const page = await api(`/api/v1/cases?${query}`);
    items = items.concat(page.items ?? []);
    cursor = page.next_cursor ?? null;
    renderCounts(page.counts ?? {});
    render(region);
    button.hidden = !cursor;
  } catch (error) {
    show(region, errorState(error, () => load(more)));
  }
}

function renderCounts(counts) {
  const list = clear(document.getElementById("counts"));
  for (const status of STATUSES) {
    const query = new URLSearchParams({ ...filters, status });
    for (const [k, v] of [...query]) if (!v) query.delete(k);
    list.append(
      el("li", {},
        el("a", { href: `/inbox?${query}`, "aria-current": filters.status === status ? "true" : undefined, "data-status": status },
          el("span", { class: "n" }, String(counts[status] ?? 0)),
          el("span", {}, label("status", status)))));
  }
}

function render(region) {
  if (items.length === 0) {
    show(region, emptyState(t("inbox.empty")));
    return;
  }
  const columns = ["case", "severity", "employee", "status", "count", "last_seen"];
  const head = el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, t(`inbox.col.${c}`)))));
  const body = el("tbody", {}, items.map(row));
  show(region, el("table", { "aria-labelledby": "cases-title" }, head, body));
}

function row(item) {
  const cell = (column, ...content) => el("td", { "data-label": t(`inbox.col.${column}`) }, ...content);
  return el("tr", { "data-case": item.case_id, "data-severity": item.severity },
    cell("case", el("div", {},
      el("a", { class: "case-link", href: `/cases/${encodeURIComponent(item.case_id)}` }, label("category", item.category)),
      el("div", { class: "case-id" }, item.case_id))),
    cell("severity", severityBadge(item.severity)),
    cell("employee", el("div", {}, item.employee_id ?? "—", el("div", { class: "sub" }, item.account_id))),
    cell("status", statusBadge(item.status)),
    el("td", { class: "num", "data-label": t("inbox.col.count") }, String(item.count ?? "")),
    cell("last_seen", timeElement(item.last_seen)));
}
