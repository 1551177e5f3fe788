// Keyboard flow for the review queue. No libraries; the pages work without it (plain forms).
// j/k move, a accepts (through the JSON API), r focuses the reject reason, e opens the edit form,
// x selects for bulk, ? toggles help.
(function () {
  "use strict";
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const cards = () => Array.from(document.querySelectorAll("article.item"));
  let current = -1;

  function select(index) {
    const all = cards();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((c, i) => c.classList.toggle("current", i === current));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function card() { return cards()[current]; }

  async function accept(el) {
    const msg = el.querySelector(".msg");
    const response = await fetch("/api/statements/" + encodeURIComponent(el.dataset.id) + "/decision", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify({ decision: "accept", version: Number(el.dataset.version) }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      msg.textContent = body.detail || ("error " + response.status);
      msg.classList.add("error");
      return;
    }
    const next = cards()[current + 1];
    location.hash = next ? next.id : el.id;
    location.reload();
  }

  function toggleHelp() {
    const help = document.getElementById("help");
    if (help) help.hidden = !help.hidden;
  }

  document.addEventListener("keydown", (event) => {
    const t = event.target;
    if (event.key === "Escape") {
      if (t && t.blur) t.blur();
      const help = document.getElementById("help");
      if (help) help.hidden = true;
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    if (event.key === "?") { toggleHelp(); event.preventDefault(); return; }
    if (!cards().length) return;
    const el = card();
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": if (el) accept(el); break;
      case "r": if (el) { const r = el.querySelector("form.reject input[name=reason]"); if (r) r.focus(); } break;
      case "e":
        if (el) {
          const d = el.querySelector("details.edit");
          if (d) { d.open = true; const first = d.querySelector("input:not([type=hidden]), select"); if (first) first.focus(); }
        }
        break;
      case "x": if (el) { const c = el.querySelector("input.select"); if (c) c.checked = !c.checked; } break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("help-button");
    if (button) button.addEventListener("click", toggleHelp);
    const all = cards();
    const marked = all.findIndex((c) => c.classList.contains("current"));
    const hashed = location.hash ? all.findIndex((c) => "#" + c.id === location.hash) : -1;
    if (marked >= 0) select(marked); else if (hashed >= 0) select(hashed); else if (all.length) select(0);
  });
})();
