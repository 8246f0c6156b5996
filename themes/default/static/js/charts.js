/* Touchstone chart bootstrap.
 *
 * Every chart is a <div class="chart-canvas" id="…"> followed by a
 * <script type="application/json" data-chart-for="…"> holding its
 * ECharts option, built at build time. This script draws them, redraws
 * them in the dark theme when the reader's scheme is dark (and when it
 * changes), keeps them sized to their box, and sizes them to the page
 * before printing. Without ECharts (blocked, or a failed load) each
 * chart's data table is opened instead, so no figure is lost.
 *
 * The print document (/print/) draws every chart as SVG without
 * animation, so a printed chart is complete and sharp. When every chart
 * has drawn once, <html> gets data-charts-ready: `touchstone pdf` waits
 * for it before printing. Every chart offers PNG, SVG and CSV (its data
 * table) downloads, made in the page: they work offline and from disk.
 */
(function () {
  'use strict';

  // A printed page is about 18 cm wide (A4 or Letter with margins).
  var PRINT_WIDTH = 680;
  // The text colour of ECharts' built-in dark theme.
  var DARK_TEXT = '#B9B8CE';

  function scheme() {
    return window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  }

  function fallback(figure) {
    if (!figure) return;
    figure.classList.add('chart-unavailable');
    var details = figure.querySelector('details.chart-data');
    if (details) details.open = true;
  }

  // ready marks the page as drawn: every chart finished once, or was
  // replaced by its table.
  function ready() {
    document.documentElement.setAttribute('data-charts-ready', 'true');
  }

  // The print document is for paper: vectors, drawn complete at once.
  var PRINT_DOC = document.body && document.body.classList.contains('kind-print');

  function slug(text) {
    var s = (text || 'chart').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return s.slice(0, 80) || 'chart';
  }

  // csvCell quotes a cell for RFC 4180 and keeps a text cell that starts
  // like a formula from running in a spreadsheet.
  function csvCell(text, numeric) {
    var s = String(text);
    if (!numeric && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) s = '"' + s.replace(/"/g, '""') + '"';
    return s;
  }

  // tableCSV is a chart's data table as CSV: exact values where the
  // table has them, with a byte-order mark so Excel reads UTF-8.
  function tableCSV(table) {
    var lines = [];
    var rows = table.querySelectorAll('tr');
    for (var i = 0; i < rows.length; i++) {
      var cells = rows[i].querySelectorAll('th, td');
      var out = [];
      for (var k = 0; k < cells.length; k++) {
        var v = cells[k].getAttribute('data-value');
        out.push(v !== null ? csvCell(v, true) : csvCell(cells[k].textContent.trim(), false));
      }
      lines.push(out.join(','));
    }
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  // For tests: the CSV of any table, as a download would hold it.
  window.touchstoneTableCSV = tableCSV;

  function save(name, blob) {
    var a = document.createElement('a');
    var url = URL.createObjectURL(blob);
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function dataURLBlob(url) {
    var comma = url.indexOf(',');
    var mime = url.slice(5, url.indexOf(';'));
    var bin = atob(url.slice(comma + 1));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: mime });
  }

  function start() {
    var sources = document.querySelectorAll('script[type="application/json"][data-chart-for]');
    if (!sources.length) { ready(); return; }
    if (typeof window.echarts === 'undefined') {
      for (var i = 0; i < sources.length; i++) {
        fallback(sources[i].closest('figure'));
      }
      ready();
      return;
    }
    var echarts = window.echarts;
    var waiting = 0;
    function drawn(entry) {
      if (entry.done) return;
      entry.done = true;
      waiting--;
      if (waiting === 0) ready();
    }
    var dark = scheme();
    var charts = [];

    function theme() {
      return dark && dark.matches ? 'dark' : null;
    }

    // The build lays charts out for a half-width figure or wider. In a
    // phone-wide box the same layout overlaps and cuts off its labels:
    // there a chart is drawn with smaller type, long names truncated
    // (the tooltip and the data table give them whole), stage names off
    // bands too thin to hold them, and a smaller radar that leaves room
    // for its spoke names. A box that crosses the width is drawn again.
    var NARROW = 520;
    var NARROW_RADIUS = '46%';
    function isNarrow(entry) {
      var w = entry.el.clientWidth;
      return w > 0 && w < NARROW;
    }
    // wrapName breaks a name into two lines of about width characters
    // at spaces; what does not fit ends in an ellipsis (the tooltip and
    // the data table give it whole).
    function wrapName(name, width) {
      var words = String(name).replace(/…$/, '').split(' '), lines = [''];
      for (var i = 0; i < words.length; i++) {
        var line = lines[lines.length - 1];
        if (line && (line + ' ' + words[i]).length > width) {
          if (lines.length === 2) { lines[1] = line + '…'; return lines.join('\n'); }
          lines.push(words[i]);
        } else {
          lines[lines.length - 1] = line ? line + ' ' + words[i] : words[i];
        }
      }
      if (/…$/.test(name)) lines[lines.length - 1] += '…';
      return lines.join('\n');
    }

    // namePatch keeps a sankey's node names to two lines, so that the
    // names of two thin neighbouring nodes do not run into each other.
    function namePatch(option, narrow) {
      var any = false;
      var series = (option.series || []).map(function (s) {
        if (s.type !== 'sankey') return {};
        any = true;
        return { label: { formatter: function (p) { return wrapName(p.name, narrow ? 14 : 20); } } };
      });
      return any ? { series: series } : null;
    }

    function narrowPatch(option, el) {
      var series = (option.series || []).map(function (s) {
        var p = {};
        if (s.type === 'scatter') p.label = { fontSize: 10, width: 72, overflow: 'truncate' };
        if (s.type === 'sankey' || s.type === 'graph') p.label = { fontSize: 10, width: 84, overflow: 'truncate' };
        if (s.type === 'sankey') p.right = 96;
        if (s.markArea) p.markArea = { label: s.type === 'line' ? { show: false } : { fontSize: 10 } };
        return p;
      });
      var patch = { series: series };
      if (option.radar) patch.radar = { radius: NARROW_RADIUS };
      var spokes = option.radar && [].concat(option.radar)[0].indicator;
      if (spokes && spokes.length > 6) {
        // Many long spoke names (a scorecard): a smaller web, names
        // wrapped beside it.
        patch.radar = { radius: '32%', axisName: { fontSize: 9, lineHeight: 11, formatter: function (name) { return wrapName(name, 15); } } };
      }
      // Category names under a thin chart: wrapped in their slot when
      // it is wide enough, else slanted.
      var x = option.xAxis && [].concat(option.xAxis)[0];
      if (x && !heat && x.type === 'category' && x.data && x.data.length && el) {
        var slot = (el.clientWidth - 80) / x.data.length;
        if (slot >= 52) {
          patch.xAxis = { axisLabel: { fontSize: 10, width: Math.floor(slot - 4), overflow: 'break', interval: 0 } };
        } else if (slot >= 16) {
          patch.xAxis = { axisLabel: { fontSize: 10, rotate: 40, width: 96, overflow: 'truncate', interval: 0 } };
        } else {
          // Too many to slant side by side: upright, every k-th name.
          patch.xAxis = { axisLabel: { fontSize: 10, rotate: 90, width: 96, overflow: 'truncate', interval: Math.ceil(13 / slot) - 1 } };
        }
      }
      var heat = (option.series || []).some(function (s) { return s.type === 'heatmap'; });
      if (heat) {
        // Columns a phone cannot fit side by side: names slanted and
        // shortened, rows' names narrower, figures smaller, and the
        // scale's steps without their ranges (the ends say which way).
        series = series.map(function (s, i) {
          return option.series[i].type === 'heatmap' ? { label: { fontSize: 10 } } : s;
        });
        patch.series = series;
        patch.xAxis = { axisLabel: { rotate: 35, fontSize: 10, width: 72, overflow: 'truncate' } };
        patch.yAxis = { axisLabel: { fontSize: 10, width: 100, overflow: 'break', lineHeight: 12 } };
        patch.visualMap = { showLabel: false, itemGap: 3 };
      }
      return patch;
    }

    // Axis numbers are ECharts' own, written with a hyphen. Figures on
    // the page use the typographic minus (U+2212), so value axes without
    // a formatter of their own get one that writes it too.
    function minusAxes(option) {
      ['xAxis', 'yAxis', 'radiusAxis', 'angleAxis'].forEach(function (key) {
        var axes = option[key];
        if (!axes) return;
        if (!Array.isArray(axes)) axes = [axes];
        axes.forEach(function (axis) {
          if (axis.type !== 'value') return;
          axis.axisLabel = axis.axisLabel || {};
          if (axis.axisLabel.formatter) return;
          axis.axisLabel.formatter = function (v) { return String(v).replace('-', '\u2212'); };
        });
      });
    }

    // still is an option drawn at once: no animation, so the first
    // frame is the finished chart.
    function still(option) {
      var o = {};
      for (var k in option) o[k] = option[k];
      o.animation = false;
      return o;
    }

    function draw(entry) {
      if (entry.chart) entry.chart.dispose();
      entry.chart = echarts.init(entry.el, theme(), { renderer: PRINT_DOC ? 'svg' : 'canvas' });
      // Says which scheme a chart was drawn in, for styles and tests.
      entry.el.setAttribute('data-chart-theme', theme() || 'light');
      entry.chart.on('finished', function () { drawn(entry); });
      entry.chart.setOption(PRINT_DOC ? still(entry.option) : entry.option);
      entry.narrow = isNarrow(entry);
      var names = namePatch(entry.option, entry.narrow);
      if (names) entry.chart.setOption(names);
      if (entry.narrow) entry.chart.setOption(narrowPatch(entry.option, entry.el));
      // Radar spoke names carry a light-theme grey from the build; in
      // the dark theme they take its text colour instead.
      if (theme() === 'dark' && entry.option.radar) {
        entry.chart.setOption({ radar: { axisName: { color: DARK_TEXT } } });
      }
    }

    for (var j = 0; j < sources.length; j++) {
      var source = sources[j];
      var el = document.getElementById(source.getAttribute('data-chart-for'));
      if (!el) continue;
      var option;
      try {
        option = JSON.parse(source.textContent);
      } catch (e) {
        fallback(el.closest('figure'));
        if (window.console) console.error('chart ' + el.id + ': bad option JSON', e);
        continue;
      }
      minusAxes(option);
      var entry = { el: el, option: option, chart: null, done: false };
      waiting++;
      try {
        draw(entry);
      } catch (e) {
        fallback(el.closest('figure'));
        drawn(entry);
        if (window.console) console.error('chart ' + el.id + ': ', e);
        continue;
      }
      charts.push(entry);
      addExport(entry);
    }
    if (waiting === 0) ready();

    // offscreen draws the chart again outside the page, at its size,
    // with the renderer an export needs and no animation.
    function offscreen(entry, renderer) {
      var box = document.createElement('div');
      var w = entry.el.clientWidth || 800, h = entry.el.clientHeight || 400;
      box.style.cssText = 'position:absolute;left:-10000px;top:0;width:' + w + 'px;height:' + h + 'px';
      document.body.appendChild(box);
      var c = echarts.init(box, theme(), { renderer: renderer, width: w, height: h });
      c.setOption(still(entry.option));
      var names = namePatch(entry.option, entry.narrow);
      if (names) c.setOption(names);
      if (entry.narrow) c.setOption(narrowPatch(entry.option, entry.el));
      return { chart: c, done: function () { c.dispose(); box.remove(); } };
    }

    function background() {
      var bg = window.getComputedStyle(document.body).backgroundColor;
      return theme() === 'dark' ? (bg || '#100C2A') : '#ffffff';
    }

    function exportChart(entry, kind) {
      var figure = entry.el.closest('figure');
      var cap = figure && figure.querySelector('figcaption');
      var name = slug(cap ? cap.textContent : entry.el.id);
      if (kind === 'csv') {
        var table = figure && figure.querySelector('details.chart-data table');
        if (!table) return;
        save(name + '.csv', new Blob([tableCSV(table)], { type: 'text/csv;charset=utf-8' }));
        return;
      }
      var o = offscreen(entry, kind === 'svg' ? 'svg' : 'canvas');
      try {
        if (kind === 'svg') {
          save(name + '.svg', new Blob([o.chart.renderToSVGString()], { type: 'image/svg+xml' }));
        } else {
          save(name + '.png', dataURLBlob(o.chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background() })));
        }
      } finally {
        o.done();
      }
    }

    function addExport(entry) {
      var figure = entry.el.closest('figure');
      if (!figure || figure.querySelector('.chart-export')) return;
      var cap = figure.querySelector('figcaption');
      var title = cap ? cap.textContent : 'chart';
      var bar = document.createElement('div');
      bar.className = 'chart-export';
      bar.setAttribute('role', 'group');
      bar.setAttribute('aria-label', 'Download ' + title);
      // Each name starts with the button's visible text, which the group's
      // name ("Download <title>") puts in context.
      [['png', 'PNG', 'image'], ['svg', 'SVG', 'vector image'], ['csv', 'CSV', 'data table']].forEach(function (k) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'chart-export-' + k[0];
        b.textContent = k[1];
        b.setAttribute('aria-label', k[1] + ' ' + k[2]);
        b.addEventListener('click', function () { exportChart(entry, k[0]); });
        bar.appendChild(b);
      });
      if (cap && cap.nextSibling) figure.insertBefore(bar, cap.nextSibling);
      else figure.appendChild(bar);
    }

    // 'auto' sizes a chart to its box. It must be said: once a width
    // was given (for print), ECharts keeps it until told otherwise.
    var AUTO = { width: 'auto', height: 'auto' };
    var STILL = { width: 'auto', height: 'auto', animation: { duration: 0 } };
    function resizeAll(size) {
      for (var k = 0; k < charts.length; k++) {
        var c = charts[k].chart;
        if (!c || c.isDisposed()) continue;
        // Print gives its own width; a screen box that became narrow
        // or wide again is drawn anew with its layout.
        if (!size && isNarrow(charts[k]) !== charts[k].narrow) draw(charts[k]);
        else c.resize(size || AUTO);
      }
    }

    // One resize per frame, however many events arrive.
    var pending = false;
    function onResize() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        resizeAll();
      });
    }
    window.addEventListener('resize', onResize);
    if (typeof window.ResizeObserver === 'function') {
      // A box can change size without the window: a sidebar closes, a
      // <details> opens, fonts load.
      var observer = new window.ResizeObserver(onResize);
      for (var m = 0; m < charts.length; m++) observer.observe(charts[m].el);
    }

    if (dark) {
      var redraw = function () {
        for (var n = 0; n < charts.length; n++) draw(charts[n]);
      };
      if (dark.addEventListener) dark.addEventListener('change', redraw);
      else if (dark.addListener) dark.addListener(redraw);
    }

    // Print: draw at the page's width, without animation, then restore.
    window.addEventListener('beforeprint', function () {
      // The print document's boxes already have the page's width.
      if (PRINT_DOC) return;
      resizeAll({ width: PRINT_WIDTH, height: 'auto', animation: STILL.animation });
    });
    window.addEventListener('afterprint', function () {
      resizeAll(STILL);
    });
    if (window.matchMedia) {
      // Once print styles apply, fit the boxes they give the charts.
      var print = window.matchMedia('print');
      var fit = function (e) { if (e.matches) resizeAll(STILL); };
      if (print.addEventListener) print.addEventListener('change', fit);
      else if (print.addListener) print.addListener(fit);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
