#!/usr/bin/env python3
"""For each line correction in players' TRACE logs (run folders given): the size the player made, the floor
of the 8 errors that confirmed it (floor8), the floor of the newest 4 (min4), the second lowest of the 8,
and the size that was right judging by where the map's residual settled 250-350 ms later (the correction
plus that residual: what the line had really lost, as the map's floor sees it in steady state).
Corrections over 60 ms and those followed by another within 350 ms are left out."""
import sys, glob, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace import parse
import statistics
allr=[]
for d in sys.argv[1:]:
    for f in sorted(glob.glob(os.path.join(d,'p*.log'))):
        rows=parse(f)
        for i,r in enumerate(rows):
            if r[3]==0 or abs(r[3])>60: continue
            t=r[0]
            errs=[x[1]+x[2] for x in rows[max(0,i-8):i+1]][-8:]
            later=[x for x in rows[i+1:] if t+250<=x[0]<=t+350]
            if any(x[3]!=0 for x in rows[i+1:] if x[0]<=t+350) or not later: continue
            resa=statistics.median(x[2] for x in later)
            right=r[3]+resa
            print('%-40s t=%6d made=%6.2f floor8=%6.2f min4=%6.2f right=%6.2f resafter=%6.2f'%(
                f[-40:],t,r[3],min(errs),min(errs[-4:]),right,resa))
            allr.append((r[3],min(errs),right,min(errs[-4:]),sorted(errs)[1]))
if allr:
    for name,k in (('made',0),('floor8',1),('min4',3),('second8',4)):
        d=[abs(x[k]-x[2]) for x in allr]
        print(name,'n',len(d),'mean |size-right| %.2f'%(sum(d)/len(d)),'max %.2f'%max(d),'over 1 ms',sum(1 for v in d if v>1))
