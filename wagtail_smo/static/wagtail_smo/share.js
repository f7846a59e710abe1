/* wagtail-smo share buttons: copy link, native share sheet, Mastodon server picker.
   Optional: every button is already a plain link. No inline script, works under a strict CSP. */
(function () {
  "use strict";
  var KEY = "smo-mastodon";
  var dialogLink = null;

  function say(block, key) {
    var status = block && block.querySelector("[data-smo-status]");
    if (status) status.textContent = block.getAttribute(key) || "";
  }

  // "https://Mastodon.Social/@me", "@me@mastodon.social" and "mastodon.social" all give the host.
  function host(value) {
    value = (value || "").trim().replace(/^https?:\/\//i, "").replace(/^@?[^@\/\s]*@/, "");
    value = value.split(/[\/?#]/)[0].toLowerCase();
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?$/.test(value) ? value : "";
  }

  function remembered(value) {
    try {
      if (value) localStorage.setItem(KEY, value);
      return localStorage.getItem(KEY) || "";
    } catch (e) {
      return value || "";  // storage blocked: still share, just do not remember
    }
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-smo-copy],[data-smo-native],[data-smo-mastodon],[data-smo-close]");
    if (!el) return;
    var block = el.closest("[data-smo-block]");
    if (el.hasAttribute("data-smo-copy")) {
      if (!navigator.clipboard) return;  // the plain link still works
      event.preventDefault();
      navigator.clipboard.writeText(el.href).then(
        function () { say(block, "data-smo-copied"); },
        function () { say(block, "data-smo-copy-failed"); });
    } else if (el.hasAttribute("data-smo-native")) {
      navigator.share({title: block.getAttribute("data-smo-title"), url: el.getAttribute("data-smo-url")})
        .catch(function () {});  // the visitor closed the sheet
    } else if (el.hasAttribute("data-smo-close")) {
      el.closest("dialog").close();
    } else {
      var dialog = block.querySelector("[data-smo-mastodon-dialog]");
      if (!dialog || !dialog.showModal) return;
      event.preventDefault();
      dialogLink = el;
      dialog.querySelector("input").value = remembered("");
      dialog.showModal();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target, dialog = form.closest("[data-smo-mastodon-dialog]");
    if (!dialog || !dialogLink) return;
    event.preventDefault();
    var input = form.querySelector("input"), server = host(input.value);
    if (!server) {
      input.setCustomValidity(form.getAttribute("data-smo-invalid"));
      input.reportValidity();
      return;
    }
    remembered(server);
    var text = new URL(dialogLink.href).searchParams.get("text") || "";
    dialogLink.href = "https://" + server + "/share?text=" + encodeURIComponent(text);
    dialog.close();
    window.open(dialogLink.href, "_blank", "noopener");
  });

  document.addEventListener("input", function (event) {
    if (event.target.setCustomValidity) event.target.setCustomValidity("");
  });

  if (navigator.share) {
    document.querySelectorAll("[data-smo-native]").forEach(function (el) { el.hidden = false; });
  }
})();
