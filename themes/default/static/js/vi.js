/* netsite: the version for the visually impaired. Our own code, no dependencies.
   Loaded in <head> without defer so the remembered settings apply before the first paint;
   the choice lives in localStorage, so it stays on from page to page. */
(function () {
  "use strict";
  var KEY = "netsite-vi";
  var DEFAULTS = { size: "1", scheme: "normal", noimg: false, spacing: false };
  var root = document.documentElement;

  function load() {
    var saved = {};
    try { saved = JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { saved = {}; }
    var state = {};
    for (var k in DEFAULTS) { state[k] = saved.hasOwnProperty(k) ? saved[k] : DEFAULTS[k]; }
    return state;
  }

  function save(state) {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: this page only */ }
  }

  function apply(state) {
    var keep = root.className.split(/\s+/).filter(function (c) { return c && c !== "vi" && c.indexOf("vi-") !== 0; });
    if (state.size !== "1" || state.scheme !== "normal" || state.noimg || state.spacing) { keep.push("vi"); }
    keep.push("vi-size-" + state.size, "vi-scheme-" + state.scheme);
    if (state.noimg) { keep.push("vi-noimg"); }
    if (state.spacing) { keep.push("vi-spacing"); }
    root.className = keep.join(" ");
  }

  function wire() {
    var button = document.querySelector(".vi-toggle");
    var panel = document.getElementById("vi-panel");
    if (!button || !panel) { return; }
    var state = load();
    var form = panel.querySelectorAll("input");
    function show(open) {
      panel.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function sync() {
      for (var i = 0; i < form.length; i++) {
        var input = form[i], name = input.name.slice(3);
        input.checked = input.type === "radio" ? String(state[name]) === input.value : !!state[name];
      }
    }
    function change(event) {
      var input = event.target, name = input.name.slice(3);
      state[name] = input.type === "radio" ? input.value : input.checked;
      save(state); apply(state);
    }
    for (var i = 0; i < form.length; i++) { form[i].addEventListener("change", change); }
    button.hidden = false;
    button.addEventListener("click", function () { show(panel.hidden); });
    panel.querySelector(".vi-close").addEventListener("click", function () { show(false); button.focus(); });
    panel.querySelector(".vi-reset").addEventListener("click", function () {
      state = load(); for (var k in DEFAULTS) { state[k] = DEFAULTS[k]; }
      save(state); apply(state); sync();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { show(false); button.focus(); }
    });
    sync();
    show(false);  /* the settings stay on from page to page; the panel opens only when asked */
  }

  apply(load());
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); } else { wire(); }
}());
