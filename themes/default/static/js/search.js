/* netsite: the search page. Pagefind's own UI from /pagefind/ (built with the site, same host),
   loaded from here rather than linked in the HTML: the bundle exists only after indexing, and
   `netsite check` judges the HTML before it. ?q= from the header's search box starts the search,
   and each query is kept in the URL; without one the field has the focus. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) { return; }
  var bundle = box.getAttribute("data-bundle");
  if (window.location.protocol === "file:") {
    /* Opened from a disk (netsite build --relative): a browser fetches no module or index file
       from file:, so the search could only fail silently. Say so, and offer the sections. */
    var elsewhere = document.getElementById("search-from-disk");
    if (elsewhere) { elsewhere.hidden = false; }
    return;
  }

  function start() {
    var query = new URLSearchParams(window.location.search).get("q");
    var ui = new PagefindUI({
      element: "#search", bundlePath: bundle, showSubResults: true, showImages: false, resetStyles: false,
      /* Come without a query (the phone header's search link, the footer's), the field has the focus. */
      autofocus: !query,
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
        window.history.replaceState(null, "", url.toString());
        return term;
      }
    });
    var input = box.querySelector("input");
    if (input) { input.setAttribute("aria-labelledby", "search-heading"); }
    if (query) { afterFilters(query, function () { ui.triggerSearch(query); }); }
  }

  /* Pagefind UI draws its filter pane from the first search's result and keeps it, and a search
     counts only the filters whose chunk has already arrived: started at once, the search from ?q=
     lost the filter whose chunk came last (1 load in 10 under CPU load; a slow phone line alike).
     So it starts once pagefind.filters() has every chunk, with the query's index preloaded
     meanwhile. Same module as the UI's import (one URL), so nothing is fetched twice. */
  function afterFilters(query, search) {
    box.setAttribute("aria-busy", "true");
    function done() {
      box.removeAttribute("aria-busy");
      search();
    }
    import(new URL(bundle + "pagefind.js", document.baseURI).href).then(function (pagefind) {
      pagefind.preload(query);
      return pagefind.filters();
    }).then(done, done);
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = start;
  document.head.appendChild(script);
}());
