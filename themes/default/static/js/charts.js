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

    // The build sizes a radar for a half-width figure, with room for
    // the spoke names around it. In a phone-wide box the names would be
    // cut off at the edges: there the radar is drawn smaller, and back
    // at its own size when the box grows again.
    var NARROW = 520;
    var NARROW_RADIUS = '46%';
    function fitRadar(entry) {
      var radar = entry.option.radar;
      if (!radar || !entry.chart || entry.chart.isDisposed()) return;
      if (Array.isArray(radar)) radar = radar[0];
      var narrow = entry.el.clientWidth > 0 && entry.el.clientWidth < NARROW;
      if (narrow === entry.narrow) return;
      entry.narrow = narrow;
      entry.chart.setOption({ radar: { radius: narrow ? NARROW_RADIUS : radar.radius } });
    }

    function draw(entry) {
      if (entry.chart) entry.chart.dispose();
      entry.chart = echarts.init(entry.el, theme(), { renderer: 'canvas' });
      // Says which scheme a chart was drawn in, for styles and tests.
      entry.el.setAttribute('data-chart-theme', theme() || 'light');
      entry.chart.setOption(entry.option);
      entry.narrow = undefined;
      fitRadar(entry);
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
        if (c && !c.isDisposed()) {
          c.resize(size || AUTO);
          fitRadar(charts[k]);
        }
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
