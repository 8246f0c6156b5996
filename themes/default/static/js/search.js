// Client-side search over the index the build writes (search/index.json),
// with MiniSearch (vendored) for prefix and fuzzy matching. Results are
// built with DOM text nodes, never innerHTML, so indexed text cannot inject.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input) return;
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var root = input.getAttribute("data-root") || "./";
  var kinds = { page: "Page", list: "Section", home: "Overview", journey: "Journey", touchpoint: "Touchpoint", actor: "Owner", brand: "Brand", journeys: "Journeys", actors: "Owners" };
  var ms = null;
  // A portable build carries the index in the page: opened from disk
  // (file://) a fetch is refused. Its links name each folder's index.html.
  var embedded = document.getElementById("search-index");
  var page = embedded ? "index.html" : "";
  status.textContent = "Loading the index…";
  var load = embedded ? Promise.resolve().then(function () { return JSON.parse(embedded.textContent); }) :
    fetch(input.getAttribute("data-index")).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  load.then(function (docs) {
    ms = new MiniSearch({ fields: ["title", "text"], storeFields: ["title", "url", "kind", "text"],
      searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.2 } });
    ms.addAll(docs);
    status.textContent = docs.length + " pages indexed.";
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(); }
  }).catch(function (e) { status.textContent = "The search index could not be loaded (" + e.message + ")."; });

  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i].toLowerCase());
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.substr(start, 180) + (text.length > start + 180 ? "…" : "");
  }

  function run() {
    if (!ms) return;
    var q = input.value.trim();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q) { status.textContent = ""; return; }
    var hits = ms.search(q).slice(0, 50);
    status.textContent = hits.length ? hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”" : "Nothing found for “" + q + "”.";
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + h.url + page;
      a.textContent = h.title;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = kinds[h.kind] || h.kind;
      var p = document.createElement("p");
      p.textContent = snippet(h.text || "", h.terms || []);
      li.appendChild(kind); li.appendChild(a); li.appendChild(p);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", run);
})();
