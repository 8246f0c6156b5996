// Touchstone live reload. `touchstone serve` adds this script to the
// pages it serves; built sites never contain it.
(function () {
  "use strict";
  if (window.__touchstoneLiveReload) return; // included twice: once is enough
  // connected says the page is up to date and listening (tests wait on it).
  var state = window.__touchstoneLiveReload = { connected: false };

  var OVERLAY = "touchstone-error-overlay";
  var script = document.currentScript;
  // The generation of the served site this page was built from, and the
  // server process that served it.
  var gen = script && script.dataset.gen ? Number(script.dataset.gen) : NaN;
  var boot = script && script.dataset.boot ? script.dataset.boot : "";
  var scrollKey = "touchstone-scroll:" + location.pathname + location.search;

  // wantedY is the position restored from before the last reload. A page
  // rendered from a half-written file may be too short to reach it; the
  // next reload must then aim for it again, not for where the short page
  // left the window.
  var wantedY = null;

  // Put the page back where it was before a reload.
  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
    } catch (e) {}
    if (saved === null) return;
    var y = Number(saved);
    wantedY = y;
    var apply = function () { window.scrollTo(window.scrollX, y); };
    apply();
    // Images and charts may still grow the page: try again once loaded.
    if (document.readyState !== "complete") {
      window.addEventListener("load", function () {
        apply();
        try { sessionStorage.removeItem(scrollKey); } catch (e) {}
      }, { once: true });
    } else {
      try { sessionStorage.removeItem(scrollKey); } catch (e) {}
    }
  }
  restoreScroll();

  var reloading = false;
  function reload() {
    if (reloading) return;
    reloading = true;
    var y = window.scrollY;
    var atBottom = y + window.innerHeight >= document.documentElement.scrollHeight - 2;
    if (wantedY !== null && y < wantedY && atBottom) y = wantedY;
    try {
      sessionStorage.setItem(scrollKey, String(y));
    } catch (e) {}
    location.reload();
  }

  // Swap stylesheets without reloading: a fresh <link> with a
  // cache-busting query is loaded next to the old one, which goes once
  // the new one applies, so the page never shows unstyled.
  function swapCSS(paths) {
    var links = Array.prototype.slice.call(
      document.querySelectorAll('link[rel~="stylesheet"][href]'));
    var own = links.filter(function (link) {
      return new URL(link.href, location.href).origin === location.origin;
    });
    var wanted = own.filter(function (link) {
      var p = new URL(link.href, location.href).pathname;
      return (paths || []).some(function (changed) {
        return p === "/" + changed;
      });
    });
    // A stylesheet may @import the changed one: then refresh them all.
    if (wanted.length === 0) wanted = own;
    var stamp = String(Date.now());
    wanted.forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("touchstone", stamp);
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      var done = function () { if (link.parentNode) link.parentNode.removeChild(link); };
      fresh.addEventListener("load", done, { once: true });
      fresh.addEventListener("error", done, { once: true });
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  // concerns says whether a change to the output files at paths can
  // show on this page: its own file, or anything that is not a page
  // (scripts, images, data a page may fetch). Other pages, the sitemap
  // and the figures' JSON export cannot; the search index only matters
  // to the search page.
  function concerns(paths) {
    var own = location.pathname.replace(/^\//, "");
    try {
      own = decodeURIComponent(own);
    } catch (e) {}
    if (own === "" || own.charAt(own.length - 1) === "/") own += "index.html";
    return paths.some(function (p) {
      if (p === own) return true;
      if (p === "search/index.json") return own === "search/index.html";
      if (p === "sitemap.xml" || p === "data/metrics.json") return false;
      return !/\.html$/.test(p);
    });
  }

  function showError(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var node = tpl.content.firstElementChild;
    if (!node) return;
    var old = document.getElementById(OVERLAY);
    if (old) {
      old.replaceWith(node);
    } else {
      (document.body || document.documentElement).appendChild(node);
    }
  }

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var o = document.getElementById(OVERLAY);
    if (o) o.remove();
  });

  function parse(e) {
    try {
      return JSON.parse(e.data);
    } catch (err) {
      return {};
    }
  }

  function connect() {
    var es = new EventSource("/__touchstone/events");
    es.addEventListener("hello", function (e) {
      var d = parse(e);
      // A restarted server, or a change this page missed while it loaded
      // or was disconnected: reload to catch up.
      if ((boot && d.boot && d.boot !== boot) || (!isNaN(gen) && d.gen !== gen)) {
        reload();
        return;
      }
      if (d.boot) boot = d.boot;
      if (isNaN(gen)) gen = d.gen;
      state.connected = true;
    });
    es.addEventListener("reload", function (e) {
      var d = parse(e);
      // A change elsewhere in the site: this page stays, scroll and all.
      if (d.paths && !concerns(d.paths)) {
        gen = d.gen;
        state.skipped = (state.skipped || 0) + 1; // tests count them
        return;
      }
      reload();
    });
    es.addEventListener("css", function (e) {
      var d = parse(e);
      gen = d.gen;
      swapCSS(d.paths);
    });
    es.addEventListener("build-error", function (e) {
      var d = parse(e);
      gen = d.gen;
      showError(d.html || "");
    });
    es.onerror = function () {
      state.connected = false;
      // The browser retries by itself while the stream is merely broken;
      // when it gives up (the server answered with an error), retry here.
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
  }
  connect();
})();
