/* netsite: filters of the practice catalogue over /practices/index.json (written by the build).
   The choice is kept in the URL query, so a filtered list survives a reload and can be shared.
   Without JavaScript the form stays hidden and the term pages do the job. */
(function () {
  "use strict";
  var form = document.getElementById("catalogue-filters");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var status = form.querySelector(".filter-status");
  var selects = form.querySelectorAll("select");
  var cards = {};
  var links = document.querySelectorAll(".cards .card .card-title a");
  for (var i = 0; i < links.length; i++) { cards[links[i].getAttribute("href")] = links[i].closest(".card"); }

  function chosen() {
    var values = {};
    for (var i = 0; i < selects.length; i++) { if (selects[i].value) { values[selects[i].name] = selects[i].value; } }
    return values;
  }

  function matches(row, values) {
    for (var param in values) { if (row[param].indexOf(values[param]) < 0) { return false; } }
    return true;
  }

  function show(rows, remember) {
    var values = chosen(), count = 0;
    rows.forEach(function (row) {
      var card = cards[row.url], on = matches(row, values);
      if (card) { card.hidden = !on; }
      if (on) { count += 1; }
    });
    status.textContent = count ? status.getAttribute("data-shown").replace("{n}", count) : status.getAttribute("data-nothing");
    if (remember) {
      var url = new URL(window.location.href);
      for (var i = 0; i < selects.length; i++) { url.searchParams.delete(selects[i].name); }
      for (var param in values) { url.searchParams.set(param, values[param]); }
      window.history.replaceState(null, "", url.toString());
    }
  }

  function restore() {
    var query = new URLSearchParams(window.location.search);
    for (var i = 0; i < selects.length; i++) {
      var wanted = query.get(selects[i].name) || "";
      var known = selects[i].querySelector('option[value="' + wanted.replace(/["\\]/g, "") + '"]');
      selects[i].value = known ? wanted : "";
    }
  }

  fetch(form.getAttribute("data-index")).then(function (response) {
    if (!response.ok) { throw new Error(response.status); }
    return response.json();
  }).then(function (index) {
    var rows = index.practices;
    form.hidden = false;
    /* one set of filters and one count: the term links and the static count give way to the form */
    ["catalogue-facets", "catalogue-count"].forEach(function (id) {
      var element = document.getElementById(id);
      if (element) { element.hidden = true; }
    });
    restore();
    show(rows, false);
    form.addEventListener("change", function () { show(rows, true); });
    form.addEventListener("reset", function () { window.setTimeout(function () { show(rows, true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }).catch(function () { form.hidden = true; });
}());
