// Small enhancements that must never be required: every control also works without JavaScript.
document.addEventListener("htmx:responseError", function (event) {
  // Show the server's message (a 4xx page fragment or text) instead of failing silently.
  var area = document.getElementById("messages");
  if (!area) return;
  var text = event.detail.xhr.status === 429
    ? "Too many requests — please wait a moment and try again."
    : "That didn't work (" + event.detail.xhr.status + "). Please reload the page and try again.";
  area.innerHTML = "";
  var list = document.createElement("ul");
  list.className = "messages";
  var item = document.createElement("li");
  item.className = "message message-error";
  item.textContent = text;
  list.appendChild(item);
  area.appendChild(list);
});
