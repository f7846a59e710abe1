/* Drag and drop in the social calendar: a scheduled post dropped on another day is moved there
   at the same time of day, by submitting its own "Reschedule" form (the keyboard alternative),
   so the server applies the same permission and no-past-time rules to both. */
(function () {
  "use strict";
  var calendar = document.querySelector("[data-smo-calendar]");
  if (!calendar) return;
  var dragged = null;

  calendar.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("li[draggable='true']");
    if (!item) return;
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.postId);
    item.classList.add("smo-dragging");
  });
  calendar.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("smo-dragging");
    dragged = null;
    calendar.querySelectorAll(".smo-drop-target").forEach(function (cell) {
      cell.classList.remove("smo-drop-target");
    });
  });
  calendar.addEventListener("dragover", function (event) {
    var cell = event.target.closest && event.target.closest("td[data-date]");
    if (!cell || !dragged) return;
    event.preventDefault();  // allows the drop
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("smo-drop-target");
  });
  calendar.addEventListener("dragleave", function (event) {
    var cell = event.target.closest && event.target.closest("td[data-date]");
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("smo-drop-target");
  });
  calendar.addEventListener("drop", function (event) {
    var cell = event.target.closest && event.target.closest("td[data-date]");
    if (!cell || !dragged) return;
    event.preventDefault();
    var form = dragged.querySelector(".smo-reschedule form");
    if (!form || cell.contains(dragged)) return;  // dropped on its own day: nothing to do
    form.elements.scheduled_at.value = cell.dataset.date + "T" + dragged.dataset.time;
    form.submit();  // no browser check: the server says why a time is refused
  });
})();
