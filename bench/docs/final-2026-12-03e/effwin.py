#!/usr/bin/env python3
"""effwin.py RUNDIR...: in each run's host-stalled row (players traced), per stall and player: when the line
began to play audio written after its correction, ms after the machine resumed (the bench's SIGCONT time):
until then a chord on that player sounds late by the stall."""
import sys, glob, re, datetime
R=re.compile(r'^(\d\d):(\d\d):(\d\d)\.(\d{3}) TRACE .*line t=(\d+) ms played=(-?\d+) written=(\d+) .* correction=(-?\d+)')
def q(v,x): v=sorted(v); return v[min(len(v)-1,int(x*len(v)))]
import os
POOL=os.environ.get('POOL')
ALLE=[];ALLL=[]
for d in sys.argv[1:]:
    r=d+'/listen/timed-host-stalled'
    stalls=[tuple(map(int,l.split()[:2])) for l in open(r+'/host-stalls.txt') if not l.startswith('#')]
    day=datetime.datetime.fromtimestamp(stalls[0][0]/1e6, datetime.timezone.utc).replace(hour=0,minute=0,second=0,microsecond=0).timestamp()*1e6
    effs=[];lags=[]
    for f in glob.glob(r+'/p*.log'):
        rows=[]
        for l in open(f):
            m=R.match(l)
            if m:
                h,mi,s,ms,t,pl,wr,c=map(int,m.groups())
                rows.append((day+((h*60+mi)*60+s)*1e6+ms*1000,pl,wr,c))
        for a,b in stalls:
            cs=[(i,x) for i,x in enumerate(rows) if a<x[0]<=b+500000 and x[3]!=0]
            if not cs: continue
            i,x=cs[0]
            e=[y for y in rows[i+1:] if y[1]>=x[2]]
            if e:
                effs.append((e[0][0]-b)/1000); lags.append((x[0]-b)/1000)
    ALLE+=effs; ALLL+=lags
    if effs and not POOL:
        print('%s: %d corrections; made after resuming p50 %.0f / p90 %.0f / max %.0f ms; playing corrected audio after p50 %.0f / p90 %.0f / max %.0f ms'%(
            d,len(effs),q(lags,.5),q(lags,.9),max(lags),q(effs,.5),q(effs,.9),max(effs)))
if POOL and ALLE:
    w=lambda v,lim: sum(1 for x in v if x>lim)
    print('%s: %d corrections; made after resuming p50 %.0f / p90 %.0f ms; playing corrected audio after p50 %.0f / p90 %.0f / max %.0f ms; later than 15 ms: %d'%(
        POOL,len(ALLE),q(ALLL,.5),q(ALLL,.9),q(ALLE,.5),q(ALLE,.9),max(ALLE),w(ALLE,15)))
