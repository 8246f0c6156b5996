/* Touchstone chart bootstrap.
 *
 * Every chart is a <div class="chart-canvas" id="…"> followed by a
 * <script type="application/json" data-chart-for="…"> holding its
 * ECharts option, built at build time. This script draws them, redraws
 * them in the dark theme when the reader's scheme is dark (and when it
 * changes), keeps them sized to their box, and sizes them to the page
 * before printing. Without ECharts (blocked, or a failed load) each
 * chart's data table is opened instead, so no figure is lost.
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

  function start() {
    var sources = document.querySelectorAll('script[type="application/json"][data-chart-for]');
    if (!sources.length) return;
    if (typeof window.echarts === 'undefined') {
      for (var i = 0; i < sources.length; i++) {
        fallback(sources[i].closest('figure'));
      }
      return;
    }
    var echarts = window.echarts;
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
    function narrowPatch(option) {
      var series = (option.series || []).map(function (s) {
        var p = {};
        if (s.type === 'scatter') p.label = { fontSize: 10, width: 72, overflow: 'truncate' };
        if (s.type === 'sankey' || s.type === 'graph') p.label = { fontSize: 10, width: 84, overflow: 'truncate' };
        if (s.markArea) p.markArea = { label: s.type === 'line' ? { show: false } : { fontSize: 10 } };
        return p;
      });
      var patch = { series: series };
      if (option.radar) patch.radar = { radius: NARROW_RADIUS };
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

    function draw(entry) {
      if (entry.chart) entry.chart.dispose();
      entry.chart = echarts.init(entry.el, theme(), { renderer: 'canvas' });
      // Says which scheme a chart was drawn in, for styles and tests.
      entry.el.setAttribute('data-chart-theme', theme() || 'light');
      entry.chart.setOption(entry.option);
      entry.narrow = isNarrow(entry);
      if (entry.narrow) entry.chart.setOption(narrowPatch(entry.option));
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
      var entry = { el: el, option: option, chart: null };
      draw(entry);
      charts.push(entry);
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
