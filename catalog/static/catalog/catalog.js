// Leave empty filters out of htmx requests, so the URL pushed to the address bar (the one
// people share) reads /catalog/?level=beginner rather than listing every blank field.
// Without JavaScript the form still works; the URL just carries the empty fields.
document.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail && event.detail.elt;
  if (!elt || !elt.closest || !elt.closest(".catalog-filters")) return;
  var parameters = event.detail.parameters;
  var empty = [];
  for (var key of Object.keys(parameters)) {
    if (parameters[key] === "") empty.push(key);
  }
  empty.forEach(function (key) { delete parameters[key]; });
});

// After the results are swapped, announce the new count through the page's status line.
document.addEventListener("htmx:afterSwap", function (event) {
  var heading = document.getElementById("results-heading");
  var status = document.getElementById("results-status");
  var target = event.detail && event.detail.target;
  if (!heading || !status || !target || target.id !== "results") return;
  status.textContent = heading.textContent.replace(/\s+/g, " ").trim() + ".";
});
