// Leave empty filters out of htmx requests, so the URL pushed to the address bar (the one
// people share) reads /catalog/?level=beginner rather than listing every blank field.
// Without JavaScript the form still works; the URL just carries the empty fields.
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.detail.elt.closest || !event.detail.elt.closest(".catalog-filters")) return;
  var parameters = event.detail.parameters;
  var empty = [];
  for (var key of Object.keys(parameters)) {
    if (parameters[key] === "") empty.push(key);
  }
  empty.forEach(function (key) { delete parameters[key]; });
});
