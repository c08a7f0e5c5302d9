# bysteal.py: timed and BWV 846 runs meeting #13's goal, by the steal in each run's row, CPUs idle vs kept busy
import re
def rows(d):
    out = []
    for l in open(d + '/report.md'):
        if re.match(r'\| (timed|bwv846) \d', l):
            c = [x.strip() for x in l.strip().strip('|').split('|')]
            a, b = c[3].split(' (')[0].split(' of ')
            p99, mx = [float(x) for x in c[8 if c[0].startswith('bwv') else 4].split(' / ')[1:]]
            out.append((float(c[-1].replace(' %', '')), a == b and p99 <= 1 and mx <= 2))
    return out
groups = {'CPUs left to idle': ['J-listen1', 'J-listen2', 'J-listen3', 'N1-listen', 'SQ-A1', 'SQ-A2', 'SR-A1', 'SR-A2', 'SR-A3'],
          'CPUs kept busy': ['K1-listen', 'K2-listen', 'K3-listen', 'SQ-B1', 'SQ-B2', 'SR-B1', 'SR-B2', 'SR-B3']}
for g, ds in groups.items():
    r = [x for d in ds for x in rows(d)]
    for lo, hi in [(0, 5), (5, 15), (15, 101)]:
        sel = [ok for s, ok in r if lo <= s < hi]
        print(f'{g}: steal {lo}-{hi} %: {sum(sel)} of {len(sel)}')
    print(f'{g}: all {sum(ok for s, ok in r)} of {len(r)}, median steal {sorted(s for s, ok in r)[len(r) // 2]} %')
