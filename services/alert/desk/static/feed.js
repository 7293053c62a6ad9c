import { api, ApiError, clear, el, emptyState, errorState, frame, onCase, severityBadge, show, start, timeElement } from "./desk.js";
import { label, t } from "./i18n.js";

const KEEP = 100;
const HEALTH_EVERY_MS = 3000;
const list = () => document.getElementById("feed");

start(async () => {
  await frame("feed");
  connect();
  await loadRecent();
  health();
});

/** The latest cases, newest first, so the page is not empty before the next case opens. */
async function loadRecent() {
  try {
    const page = await api("/api/v1/cases?sort=newest&limit=20");
    clear(list());
    for (const item of (page.items ?? []).reverse()) upsert(item, false);
  } catch (error) {
    show(document.getElementById("feed-empty"), errorState(error, loadRecent));
    return;
  }
  updateEmpty();
}

function connect() {
  const status = document.getElementById("connection");
  const say = (key, cls) => {
    status.textContent = t(key);
    status.className = `connection ${cls}`;
  };
  say("feed.connecting", "");
  const source = new EventSource("/api/v1/stream");
  let dropped = false;
  source.addEventListener("open", () => {
    say("feed.connected", "live");
    if (dropped) loadRecent();
  });
  onCase(source, (item) => {
    upsert(item, true);
    updateEmpty();
  });
  source.addEventListener("error", () => {
    dropped = true;
    say("feed.disconnected", "down");
    if (source.readyState === EventSource.CLOSED) {
      // The server refused the stream (e.g. the session ended): check, then start again.
      setTimeout(() => api("/api/v1/me").then(connect, () => setTimeout(connect, 5000)), 3000);
    }
  });
}

function upsert(item, fresh) {
  const feed = list();
  const id = `case-${item.case_id}`;
  document.getElementById(id)?.remove();
  const entry = el("li", { id, "data-case": item.case_id, class: fresh ? "fresh" : undefined },
    severityBadge(item.severity),
    el("a", { href: `/cases/${encodeURIComponent(item.case_id)}`, class: "case-link" }, label("category", item.category)),
    el("span", {}, capitalised(item.action ? label("action", item.action) : label("status", item.status))),
    el("span", { class: "meta" }, `${item.case_id} · ${item.employee_id ?? item.account_id} · ${item.unit ?? "—"}`),
    el("span", { class: "meta" }, timeElement(item.updated_at ?? item.last_seen)));
  feed.prepend(entry);
  while (feed.children.length > KEEP) feed.lastElementChild.remove();
}

function updateEmpty() {
  const box = document.getElementById("feed-empty");
  if (list().children.length === 0) show(box, emptyState(t("feed.empty")));
  else clear(box);
}

async function health() {
  const region = document.getElementById("health");
  try {
    const data = await api("/api/v1/pipeline");
    show(region, ...healthView(data));
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      show(region, el("p", { class: "state" }, t("feed.health_forbidden")));
      return;
    }
    show(region, errorState(new ApiError(0, `${t("feed.health_error")} ${error.message}`)));
  }
  setTimeout(health, HEALTH_EVERY_MS);
}

function healthView(data) {
  const failures = data.notification_failures ?? {};
  const tiles = [
    ["events_per_s", rate(data.events_per_s), false],
    ["lag", count(data.lag?.total), (data.lag?.total ?? 0) > 1000],
    ["dlq", count(data.dlq?.total), (data.dlq?.total ?? 0) > 0],
    ["notification_failures", count(failures.gave_up ?? failures.failed_attempts),
      (failures.gave_up ?? 0) > 0 || (failures.failed_attempts ?? 0) > 0],
  ];
  const grid = el("dl", { class: "health" }, tiles.map(([key, value, bad]) =>
    el("div", { class: bad ? "bad" : undefined, "data-metric": key },
      el("dt", {}, t(`feed.${key}`)), el("dd", {}, value))));
  const detail = el("p", { class: "as-of" },
    t("feed.attempts", { failed: failures.failed_attempts ?? "—", gave_up: failures.gave_up ?? "—" }), " · ",
    t("feed.as_of", { time: "" }), timeElement(data.as_of));
  return [grid, detail];
}

function rate(value) {
  return typeof value === "number" ? value.toFixed(1) : t("feed.null");
}

function count(value) {
  return typeof value === "number" ? String(value) : t("feed.null");
}

function capitalised(text) {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
