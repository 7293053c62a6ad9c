import { ApiError, api, messageOf, start, wireLanguage } from "./desk.js";
import { t, translate } from "./i18n.js";

start(async () => {
  translate();
  wireLanguage();
  const params = new URLSearchParams(location.search);
  const error = document.getElementById("login-error");
  if (params.has("next")) document.getElementById("login-note").textContent = t("login.expired");
  const form = document.getElementById("login-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = form.username.value.trim();
    const password = form.password.value;
    for (const input of [form.username, form.password]) input.removeAttribute("aria-invalid");
    if (!username || !password) {
      error.textContent = t("login.required");
      (username ? form.password : form.username).setAttribute("aria-invalid", "true");
      (username ? form.password : form.username).focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("/api/v1/session", { method: "POST", body: { username, password } });
      location.assign(safeNext(params.get("next")));
    } catch (failure) {
      error.textContent = failure instanceof ApiError && failure.status === 401 ? t("login.failed") : messageOf(failure);
      form.password.setAttribute("aria-invalid", "true");
      form.password.select();
      form.password.focus();
    } finally {
      button.disabled = false;
    }
  });
  form.username.focus();
});

/** Only a same-site path: never an absolute or protocol-relative address from the query. */
function safeNext(next) {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/inbox";
}
