/* netsite: the search page. Pagefind's own UI from /pagefind/ (built with the site, same host),
   loaded from here rather than linked in the HTML: the bundle exists only after indexing, and
   `netsite check` judges the HTML before it. ?q= from the header's search box starts the search,
   and each query is kept in the URL; without one the field has the focus. The UI starts once every
   filter is loaded (see below). */
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

  var query = new URLSearchParams(window.location.search).get("q");

  function start() {
    box.removeAttribute("aria-busy");
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
    if (query) { ui.triggerSearch(query); }
  }

  /* Pagefind UI draws its filter pane from the first search's result and keeps it, and a search
     counts only the filters whose chunk has already arrived: a search started before the last
     chunk came lost that filter for good (the ?q= search 1 load in 10 under CPU load; a quick
     typist on a slow phone alike). So the UI, and with it any search, starts once
     pagefind.filters() has every chunk; the chunks load beside the UI's own script, with the
     query's index preloaded meanwhile. Same module as the UI's import (one URL): nothing is
     fetched twice. */
  box.setAttribute("aria-busy", "true");
  var filters = import(new URL(bundle + "pagefind.js", document.baseURI).href).then(function (pagefind) {
    if (query) { pagefind.preload(query); }
    return pagefind.filters();
  });

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () { filters.then(start, start); };
  document.head.appendChild(script);
}());
