// Lists what makes a chart's text illegible: a text that overlaps
// another or runs out of the chart's box. It reads the boxes of every
// piece of text ECharts drew from zrender's display list, placed as
// drawn (rotation included), and compares them as rotated rectangles.
(() => {
  const SHRINK = 1.5; // px each side: glyph boxes include some air
  function corners(d) {
    const st = d.style;
    const w = d.getBoundingRect().width;
    const fs = st.fontSize || parseFloat(String(st.font).replace(/^.*?(\d+(\.\d+)?)px.*$/, '$1')) || 12;
    // From the text's own anchor: zrender's rect of a line of a
    // width-bound label starts at the label's box, not at its glyphs.
    let x = st.x || 0, y = st.y || 0;
    if (st.textAlign === 'right' || st.textAlign === 'end') x -= w; else if (st.textAlign === 'center') x -= w / 2;
    if (st.textBaseline === 'middle') y -= fs / 2; else if (st.textBaseline === 'bottom') y -= fs;
    else if (st.textBaseline !== 'top' && st.textBaseline !== 'hanging') y -= fs * 0.8;
    const pts = [[x + SHRINK, y + SHRINK], [x + w - SHRINK, y + SHRINK], [x + w - SHRINK, y + fs - SHRINK], [x + SHRINK, y + fs - SHRINK]];
    const host = d.parent && d.parent.type === 'text' ? d.parent : d;
    const m = d.transform || host.transform;
    return m ? pts.map(([px, py]) => [m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]]) : pts;
  }
  // Separating axis test of two convex quadrilaterals.
  function overlap(a, b) {
    for (const poly of [a, b]) {
      for (let i = 0; i < 4; i++) {
        const p = poly[i], q = poly[(i + 1) % 4];
        const nx = q[1] - p[1], ny = p[0] - q[0];
        let amin = Infinity, amax = -Infinity, bmin = Infinity, bmax = -Infinity;
        for (const [x, y] of a) { const v = nx * x + ny * y; amin = Math.min(amin, v); amax = Math.max(amax, v); }
        for (const [x, y] of b) { const v = nx * x + ny * y; bmin = Math.min(bmin, v); bmax = Math.max(bmax, v); }
        if (amax <= bmin || bmax <= amin) return false;
      }
    }
    return true;
  }
  const out = [];
  for (const el of document.querySelectorAll('.chart-canvas')) {
    const c = window.echarts && echarts.getInstanceByDom(el);
    if (!c) continue;
    const W = c.getWidth(), H = c.getHeight();
    const fig = el.closest('figure');
    const name = (fig && fig.getAttribute('data-chart-type')) + ' #' + el.id;
    const texts = [];
    for (const d of c.getZr().storage.getDisplayList(true)) {
      if (d.type !== 'tspan' || d.invisible || d.ignore || !d.style || !d.style.text || d.style.opacity === 0) continue;
      if (!String(d.style.text).trim()) continue;
      const host = d.parent && d.parent.type === 'text' ? d.parent : d;
      texts.push({ c: corners(d), t: String(d.style.text), host });
    }
    for (const t of texts) {
      const xs = t.c.map(p => p[0]), ys = t.c.map(p => p[1]);
      if (Math.min(...xs) < 0 || Math.min(...ys) < 0 || Math.max(...xs) > W || Math.max(...ys) > H) {
        out.push(name + ': "' + t.t + '" is cut at the edge (' + W + '×' + H + ')');
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (texts[i].host !== texts[j].host && overlap(texts[i].c, texts[j].c)) {
          out.push(name + ': "' + texts[i].t + '" overlaps "' + texts[j].t + '"');
        }
      }
    }
  }
  return out;
})()
