// Card session keys: Space shows the answer, 1-4 rate the card. The links and buttons they
// press work without this file; it only saves reaching for the mouse.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var session = document.querySelector("[data-card-session]");
  if (!session) return;
  var control = null;
  if (event.key === " ") {
    control = session.querySelector("[data-card-show]");
  } else if (/^[1-4]$/.test(event.key)) {
    control = session.querySelector('[data-card-rating="' + event.key + '"]');
  }
  if (!control) return;
  event.preventDefault();
  control.click();
});
