// What every case desk page shares: the API client, the page frame (skip link, navigation,
// language switch, who is signed in), small DOM builders and the empty/error states.
// Nothing here turns a string into markup: text always goes in as text nodes.

import { label, lang, setLang, t, translate } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, message, field = null) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Call the JSON API; a 401 sends the person to the login page (except on the login page). */
export async function api(path, { method = "GET", body } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, t("app.network"));
  }
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && !location.pathname.startsWith("/login")) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, t("login.expired"));
  }
  if (!response.ok) {
    const text = errorText(response.status, data, response.headers.get("Retry-After"));
    throw new ApiError(response.status, text, data.field ?? null);
  }
  return data;
}

/** A sentence in the page's language; the server's own words only where they are the detail. */
function errorText(status, data, retryAfter) {
  const detail = data.error || `HTTP ${status}`;
  if (status === 403) return t("app.forbidden");
  if (status === 404) return t("app.not_found");
  if (status === 409) return t("app.conflict", { detail });
  if (status === 400 || status === 422) return t("app.invalid", { detail });
  if (status === 429) return t("app.too_many", { minutes: Math.max(1, Math.ceil(Number(retryAfter || 60) / 60)) });
  if (status >= 500) return t("app.unavailable");
  return t("app.error", { message: detail });
}

/** Build an element: el("a", {href: "/x", class: "k"}, "text", child). Strings become text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

// Each `case` event of the live stream, parsed; a message that is not JSON is skipped.
export function onCase(source, handle) {
  source.addEventListener("case", (message) => {
    let item;
    try {
      item = JSON.parse(message.data);
    } catch {
      return;
    }
    handle(item);
  });
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function formatTime(value) {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(lang() === "id" ? "id-ID" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

export function timeElement(value) {
  return el("time", { datetime: value || undefined }, formatTime(value));
}

export function severityBadge(severity) {
  return el("span", { class: `badge sev-${severity}` }, label("severity", severity));
}

export function statusBadge(status) {
  return el("span", { class: `badge status-${status}` }, label("status", status));
}

/** A box that says there is nothing to show. */
export function emptyState(text) {
  return el("p", { class: "state empty" }, text);
}

/** A box that says what went wrong, with a retry button when `retry` is given. */
export function errorState(error, retry) {
  const box = el("div", { class: "state error", role: "alert" }, el("p", {}, messageOf(error)));
  if (retry) box.append(el("button", { type: "button", class: "secondary", onclick: retry }, t("app.retry")));
  return box;
}

export function messageOf(error) {
  return error instanceof ApiError ? error.message : t("app.error", { message: String(error) });
}

/** Put `node` (or a loading line) in `region`, replacing what was there. */
export function show(region, ...nodes) {
  clear(region).append(...nodes);
  region.removeAttribute("aria-busy");
}

export function loading(region) {
  region.setAttribute("aria-busy", "true");
  clear(region).append(el("p", { class: "state loading" }, t("app.loading")));
}

/** Fill the shared frame of a signed-in page; resolves to /api/v1/me ({user, units, permissions}). */
export async function frame(active) {
  translate();
  wireLanguage();
  for (const link of document.querySelectorAll(".nav a")) {
    if (link.dataset.page === active) link.setAttribute("aria-current", "page");
  }
  document.getElementById("logout")?.addEventListener("click", logout);
  const me = await api("/api/v1/me");
  const user = me.user ?? me;
  const who = document.getElementById("who");
  const where = user.unit || label("role", user.role);
  if (who) who.textContent = t("app.signed_in", { name: user.display_name || user.username, unit: where });
  return me;
}

export function wireLanguage() {
  const select = document.getElementById("lang");
  if (!select) return;
  select.value = lang();
  select.addEventListener("change", () => {
    setLang(select.value);
    location.reload();
  });
}

async function logout() {
  try {
    await api("/api/v1/session", { method: "DELETE" });
  } finally {
    location.assign("/login");
  }
}

/** Run a page's start function, showing an error in #main when it fails before rendering. */
export function start(run) {
  run().catch((error) => {
    if (error instanceof ApiError && error.status === 401) return;
    const main = document.getElementById("main");
    if (main) main.append(errorState(error, () => location.reload()));
  });
}
