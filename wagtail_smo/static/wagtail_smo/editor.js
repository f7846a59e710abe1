/* Live character counters of the Social tab (wagtail-smo). Each counted field carries its limits
   in a data-smo-limits attribute (JSON, written by wagtail_smo/editor/widgets.py); this script
   only counts and words the result. No inline script: loaded as the widget's media. */
(function () {
  "use strict";

  function length(text) {
    return Array.from(text).length; // code points, like Python's len()
  }

  function describe(count, spec) {
    if (count === 0) return spec.empty || "Empty.";
    var parts = [count + (count === 1 ? " character" : " characters")];
    if (spec.min && count < spec.min) {
      parts.push("shorter than " + spec.min + ": too little for a good card");
    }
    var cutBy = [];
    var fits = [];
    (spec.limits || []).forEach(function (limit) {
      (count > limit.max ? cutBy : fits).push(limit.label + " (" + limit.max + ")");
    });
    if (cutBy.length) parts.push("cut by " + cutBy.join(", "));
    if (fits.length) parts.push("fits " + fits.join(", "));
    return parts.join(" · ");
  }

  function attach(field) {
    if (field.dataset.smoCounterReady) return;
    field.dataset.smoCounterReady = "1";
    var spec;
    try {
      spec = JSON.parse(field.dataset.smoLimits);
    } catch (error) {
      return;
    }
    var output = document.createElement("p");
    output.className = "smo-field-counter";
    output.id = field.id + "-smo-counter";
    output.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", output);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);

    function update() {
      var count = length(field.value.trim());
      var over = (spec.limits || []).some(function (limit) { return count > limit.max; });
      var under = spec.min && count > 0 && count < spec.min;
      output.textContent = describe(count, spec);
      output.dataset.state = over || under ? "warning" : count ? "ok" : "empty";
      output.dataset.count = String(count);
    }
    field.addEventListener("input", update);
    update();
  }

  function attachAll(root) {
    root.querySelectorAll("[data-smo-limits]").forEach(attach);
  }

  function start() {
    attachAll(document);
    // Panels can be added later (e.g. inside an expanded InlinePanel): count those too.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) attachAll(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
