import { api, el, emptyState, errorState, frame, loading, messageOf, show, start, timeElement } from "./desk.js";
import { t } from "./i18n.js";

const DURATIONS = { "1h": 60, "4h": 240, "1d": 1440, "3d": 4320, "7d": 10080 };
const KEYS = ["account_id", "category", "severity", "agency", "unit", "region", "phase", "contestant"];
let canManage = false;

start(async () => {
  const me = await frame("silences");
  canManage = Boolean(me.permissions?.manage_silences);
  setUpForm();
  await load();
});

async function load() {
  const region = document.getElementById("silences");
  loading(region);
  try {
    const { items = [] } = await api("/api/v1/silences");
    show(region, items.length === 0 || !items.some((s) => s.active)
      ? emptyState(t("silences.empty"))
      : el("ul", { class: "silences" }, items.filter((s) => s.active).map(entry)));
    const ended = items.filter((s) => !s.active);
    if (ended.length) region.append(el("h3", {}, t("silences.ended")), el("ul", { class: "silences" }, ended.slice(0, 20).map(entry)));
  } catch (error) {
    show(region, errorState(error, load));
  }
}

function entry(silence) {
  const matchers = Object.entries(silence.matchers ?? {}).map(([key, values]) =>
    el("code", {}, `${key}=${[].concat(values).join("|")}`));
  return el("li", { "data-silence": silence.silence_id },
    el("div", {}, ...matchers.flatMap((m, i) => (i ? [" ", m] : [m]))),
    el("p", {}, silence.reason ?? ""),
    el("div", { class: "help" },
      `${t("silences.created_by")}: ${silence.author ?? "—"} · ${t("silences.starts")}: `, timeElement(silence.starts_at),
      ` · ${t("silences.ends")}: `, timeElement(silence.ends_at)),
    canManage && silence.active
      ? el("button", { type: "button", class: "secondary", onclick: () => expire(silence.silence_id) }, t("silences.expire"))
      : null);
}

function setUpForm() {
  const form = document.getElementById("silence-form");
  if (!canManage) {
    form.replaceWith(el("p", { class: "state" }, t("silences.read_only")));
    return;
  }
  const duration = document.getElementById("s-duration");
  for (const [key] of Object.entries(DURATIONS)) duration.append(el("option", { value: key }, t(`duration.${key}`)));
  duration.value = "4h";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("s-error");
    error.textContent = "";
    const matchersField = document.getElementById("s-matchers");
    const reasonField = document.getElementById("s-reason");
    for (const f of [matchersField, reasonField]) f.removeAttribute("aria-invalid");
    const matchers = parseMatchers(matchersField.value);
    if (!matchers) return invalid(matchersField, error, t("silences.bad_matcher"));
    if (!reasonField.value.trim()) return invalid(reasonField, error, t("silences.reason_required"));
    try {
      await api("/api/v1/silences", {
        method: "POST",
        body: { matchers, minutes: DURATIONS[duration.value], reason: reasonField.value.trim() },
      });
      form.reset();
      duration.value = "4h";
      flash(t("silences.created"));
      await load();
    } catch (failure) {
      error.textContent = messageOf(failure);
    }
  });
}

/** "category=hoax\nunit=a" -> {category: ["hoax"], unit: ["a"]}; null when a line is not k=v. */
function parseMatchers(text) {
  const matchers = {};
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const at = line.indexOf("=");
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (at <= 0 || !value || !KEYS.includes(key)) return null;
    (matchers[key] ??= []).push(value);
  }
  return lines.length ? matchers : null;
}

function invalid(field, error, text) {
  field.setAttribute("aria-invalid", "true");
  error.textContent = text;
  field.focus();
}

async function expire(id) {
  try {
    await api(`/api/v1/silences/${encodeURIComponent(id)}`, { method: "DELETE" });
    flash(t("silences.expired"));
  } catch (failure) {
    flash(messageOf(failure), true);
  }
  await load();
}

function flash(text, bad = false) {
  const box = document.getElementById("silence-status");
  box.className = bad ? "flash error" : "flash";
  box.textContent = text;
}
