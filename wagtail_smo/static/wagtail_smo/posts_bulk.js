/* The words of the posts listing's bulk action footer: Wagtail looks them up by the footer's
   item type (here SOCIALPOST) and falls back to "items"; these say "posts". */
(function () {
  "use strict";
  var strings = document.getElementById("smo-bulk-strings");
  if (!strings || !window.wagtailConfig) return;
  window.wagtailConfig.STRINGS.BULK_ACTIONS.SOCIALPOST = JSON.parse(strings.textContent);
})();
