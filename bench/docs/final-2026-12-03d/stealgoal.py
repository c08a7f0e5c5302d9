#!/usr/bin/env python3
"""Timed and BWV 846 rows of listen reports: met the goal or not, against the host's steal of the run."""
import sys, re
def cells(l): return [c.strip() for c in l.strip().strip('|').split('|')]
rows=[]
for d in sys.argv[1:]:
    for l in open(d+'/report.md'):
        if not l.startswith('|'): continue
        c=cells(l)
        if not re.match(r'(timed|bwv846) \d$',c[0]): continue
        heard=c[3].split(' (')[0]; a,b=heard.split(' of ')
        col=8 if c[0].startswith('bwv') else 4
        p99,mx=[float(x) for x in c[col].split(' / ')[1:]]
        steal=c[-1].rstrip(' %')
        ok=a==b and p99<=1 and mx<=2
        rows.append((d.split('/')[-1],c[0],int(steal) if steal.isdigit() else -1,ok,mx))
for lo,hi in ((0,3),(4,100)):
    sel=[r for r in rows if lo<=r[2]<=hi]
    print(f'steal {lo}-{hi} %: {sum(r[3] for r in sel)} of {len(sel)} met', ' misses:', ', '.join(f'{r[0]} {r[1]} ({r[2]} %, {r[4]} ms)' for r in sel if not r[3]))
