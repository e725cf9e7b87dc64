/* netsite: the search page. Pagefind's own UI from /pagefind/ (built with the site, same host);
   ?q= from the header's search box starts the search, and each query is kept in the URL. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#search", bundlePath: box.getAttribute("data-bundle"), showSubResults: true,
    showImages: false, resetStyles: false,
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
}());
