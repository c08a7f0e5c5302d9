import sys,glob,os,wave,datetime
steal={}
for f in sys.argv[1].split(','):
    for l in open(f):
        p=l.split(); t=p[0]; s=int(p[4].split('=')[1]); steal[t]=s
rows=[]
for d in sys.argv[2:]:
    for sub in sorted(glob.glob(d+'/listen/*/recording.wav')):
        w=wave.open(sub); dur=w.getnframes()/w.getframerate(); end=os.path.getmtime(sub)
        secs=[datetime.datetime.utcfromtimestamp(end-k).strftime('%H:%M:%S') for k in range(int(dur))]
        v=[steal[s] for s in secs if s in steal]
        if not v: continue
        dd=os.path.dirname(sub)
        c=sum(open(f).read().count('to be back in time') for f in glob.glob(dd+'/p[0-9]*.log'))
        n=len(glob.glob(dd+'/p[0-9]*.log'))
        rows.append((sum(v)/len(v)/2, c/n, d.split('/')[-1]+'/'+os.path.basename(dd)))
rows.sort()
for r in rows: print(f"steal {r[0]:5.1f}%  corrections/player {r[1]:5.1f}  {r[2]}")
import numpy as np
a=np.array([(r[0],r[1]) for r in rows]); print('corr', np.corrcoef(a.T)[0,1].round(2), 'n', len(rows))
# goals per run
import re
print()
met={}
for d in sys.argv[2:]:
    for l in open(d+'/report.md'):
        c=[x.strip() for x in l.strip().strip('|').split('|')]
        if l.startswith('|') and re.match(r'(timed|bwv846) \d',c[0]):
            a,b=c[3].split(' (')[0].split(' of ')
            col=8 if c[0].startswith('bwv') else 4
            p99,mx=[float(x) for x in c[col].split(' / ')[1:]]
            met[d.split('/')[-1]+'/'+c[0].replace(' ','-')]=(a==b and p99<=1 and mx<=2)
for lo,hi in ((0,15),(15,30),(30,100)):
    sel=[(r,met[r[2]]) for r in rows if r[2] in met and lo<=r[0]<hi]
    print(f"steal {lo}-{hi}%: timed/BWV runs meeting the goal {sum(m for _,m in sel)} of {len(sel)}; corrections/player mean {np.mean([r[1] for r,_ in sel]) if sel else float('nan'):.1f}")
