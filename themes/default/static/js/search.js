/* netsite: the search page. Pagefind's own UI from /pagefind/ (built with the site, same host),
   loaded from here rather than linked in the HTML: the bundle exists only after indexing, and
   `netsite check` judges the HTML before it. ?q= from the header's search box starts the search,
   and each query is kept in the URL. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) { return; }
  var bundle = box.getAttribute("data-bundle");

  function start() {
    var ui = new PagefindUI({
      element: "#search", bundlePath: bundle, showSubResults: true, showImages: false, resetStyles: false,
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
        window.history.replaceState(null, "", url.toString());
        return term;
      }
    });
    var input = box.querySelector("input");
    if (input) { input.setAttribute("aria-labelledby", "search-heading"); }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
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
