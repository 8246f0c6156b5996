# Usage: python3 deltas.py SITE_DIR — prints each journey's and brand's trend and its
# deltas over the cells both waves measure, independently of the Go code.
# Independent recomputation of SPEC §5 indices and the matched-cell delta
# (issue 17 rule) from a test site's raw files.
import csv, glob, os, sys, tomllib, json
root = sys.argv[1]
cfg = tomllib.load(open(os.path.join(root, 'site.toml'), 'rb'))
smin = cfg.get('scale', {}).get('min', 1); smax = cfg.get('scale', {}).get('max', 5)
S = smax - smin
brands = {}
for f in sorted(glob.glob(os.path.join(root, 'data/brands/*.toml'))):
    b = tomllib.load(open(f, 'rb')); bid = os.path.basename(f)[:-5]
    brands[bid] = {a['id']: a.get('weight', 1) for a in b.get('attributes', [])}
attrs_all = {a for w in brands.values() for a in w}
site_brand = cfg.get('brand') or (list(brands)[0] if len(brands) == 1 else None)
journeys = {}
cells = {}  # (wave, j, t, a) -> [values]
def add(w, j, t, a, v):
    cells.setdefault((w, j, t, a), []).append(float(v))
for f in sorted(glob.glob(os.path.join(root, 'data/measures/*.csv'))):
    for r in csv.DictReader(open(f, encoding='utf-8-sig')):
        add(r['wave'], r['journey'], r['touchpoint'], r['attribute'], r['score'])
for f in sorted(glob.glob(os.path.join(root, 'data/responses/*.csv'))):
    text = open(f, encoding='utf-8-sig').read()
    delim = ';' if ';' in text.splitlines()[0] else ','
    for r in csv.DictReader(text.splitlines(), delimiter=delim):
        if delim == ';':
            r = {k: (v.replace(',', '.') if v else v) for k, v in r.items()}
        for k, v in r.items():
            if k not in attrs_all or v is None or v.strip() == '':
                continue
            add(r['wave'], r['journey'], r['touchpoint'], k, v)
waves = cfg.get('waves') or sorted({k[0] for k in cells})
last = waves[-1]
for f in sorted(glob.glob(os.path.join(root, 'data/journeys/*.toml'))):
    j = tomllib.load(open(f, 'rb')); jid = os.path.basename(f)[:-5]
    journeys[jid] = j
    for t in j.get('touchpoints', []):
        for a, v in (t.get('experience') or {}).items():
            add(last, jid, t['id'], a, v)
mean = lambda xs: sum(xs) / len(xs)
def index(js, wave, only=None):
    num = den = 0.0
    for jid in js:
        j = journeys[jid]; w = brands[j.get('brand') or site_brand]
        mid = (smin + smax) / 2
        for t in j['touchpoints']:
            imp = t.get('importance', mid)
            for a, p in (t.get('promise') or {}).items():
                if a not in w: continue
                k = (wave, jid, t['id'], a)
                if k not in cells: continue
                if only is not None and (jid, t['id'], a) not in only: continue
                num += imp * w[a] * abs(mean(cells[k]) - p); den += imp * w[a]
    return None if den == 0 else 100 * (1 - num / (S * den))
def keys(js, wave):
    return {(k[1], k[2], k[3]) for k in cells if k[0] == wave and k[1] in js}
def trend_delta(js):
    pts = [(w, index(js, w)) for w in waves if index(js, w) is not None]
    out = []
    for i in range(1, len(pts)):
        shared = keys(js, pts[i][0]) & keys(js, pts[i-1][0])
        a, b = index(js, pts[i][0], shared), index(js, pts[i-1][0], shared)
        out.append((pts[i][0], None if a is None or b is None else a - b))
    return pts, out
res = {}
for jid in sorted(journeys):
    res['journey ' + jid] = trend_delta([jid])
for bid in brands:
    js = [jid for jid, j in journeys.items() if (j.get('brand') or site_brand) == bid]
    res['brand ' + bid] = trend_delta(sorted(js))
for k, (pts, deltas) in res.items():
    print(k, [(w, round(v, 12)) for w, v in pts], 'deltas', deltas)
