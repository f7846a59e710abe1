/* Live character counter of the social post editor. The server counts (one implementation of
   every network's rules: wagtail_smo/core/text.py and each network's declaration); this script
   only asks it. */
(function () {
  "use strict";
  var box = document.querySelector("[data-smo-counter]");
  var text = document.getElementById("id_text");
  if (!box || !text) return;
  var lengthOut = document.getElementById("smo-length");
  var limitOut = document.getElementById("smo-limit");
  var over = document.getElementById("smo-over");
  var timer = null;
  var sequence = 0;

  function update() {
    var mine = ++sequence;
    var params = new URLSearchParams({
      channel: box.dataset.channel, text: text.value, image: box.dataset.image,
    });
    fetch(box.dataset.countUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || mine !== sequence) return;
        lengthOut.textContent = data.length;
        limitOut.textContent = data.limit;
        over.hidden = data.length <= data.limit;
        box.dataset.state = data.length > data.limit ? "over" : "ok";
      });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
})();
