#!/usr/bin/env python3
"""Per run dir: line corrections, and take-backs (a correction followed within 400 ms by one of the other sign)."""
import json, sys, glob, os
def corr(path):
    out=[]
    for l in open(path):
        if '"line-correction"' in l:
            e=json.loads(l); out.append((e['t_us'], e['shift_ms']))
    return out
for d in sys.argv[1:]:
    n=tb=0; tbs=[]
    for f in sorted(glob.glob(os.path.join(d,'p*.events.jsonl'))):
        c=corr(f); n+=len(c)
        for (t,s),(t2,s2) in zip(c,c[1:]):
            if s*s2<0 and t2-t<400000 and abs(s)<100:
                tb+=1; tbs.append((round(s,1),round(s2,1),(t2-t)//1000))
    print(d, 'corrections',n,'takebacks',tb, tbs[:8])
