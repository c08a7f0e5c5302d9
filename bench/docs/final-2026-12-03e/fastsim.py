#!/usr/bin/env python3
"""Replays TRACE logs' error series against a 'fast' confirmation rule for large errors.
For each candidate rule: fires (where the fast rule would correct), how many precede an actual
correction within 150 ms (and by how many ms of written audio), and fires with no correction after
them (false). Usage: fastsim.py RUNDIR..."""
import sys, glob, os
sys.path.insert(0,'/work/diag')
from trace import parse
RATE=48
def series(f):
    rows=parse(f)
    return [(r[0], r[1]+r[2], r[3], r[4], r[5]) for r in rows]  # t, error ms, correction ms, played, written
def sim(rows, K, big, distinct, thr=3.0):
    fires=[]
    corrected_from=-1
    errs=[]
    armed=True
    for i,(t,e,c,pl,wr) in enumerate(rows):
        if pl < corrected_from:
            continue
        if c!=0:
            corrected_from=wr+480; errs=[]; armed=True
            continue
        errs.append((e,pl,wr,t))
        if not armed or len(errs)<K: continue
        w=errs[-K:]
        es=[x[0] for x in w]
        if max(es)-min(es)<=2*thr and (min(es)>big or max(es)<-big) and len(set(x[1] for x in w))>=distinct:
            v=min(es) if min(es)>0 else max(es)
            fires.append((t,v,wr,i)); armed=False
    return fires
def evaluate(rows, fires):
    out=[]
    cors=[(r[0],r[2],r[4]) for r in rows if r[2]!=0]
    for (t,v,wr,i) in fires:
        nxt=[c for c in cors if t<=c[0]<=t+150]
        if nxt:
            ct,cv,cwr=nxt[0]
            later=[r for r in rows if ct+250<=r[0]<=ct+350]
            clean=not any(r[2]!=0 for r in rows if ct<r[0]<=ct+350) and later
            right=None
            if clean:
                ress=sorted(r[1]-r[1] for r in later)
                # residual after = error - dev; parse gives error=dev+res, keep res via rows? use median error of later rows ~ residual
                right=cv+sorted(r[1] for r in later)[len(later)//2]
            out.append(('hit',t,v,cv,(cwr-wr)/RATE,ct-t,right))
        else:
            out.append(('false',t,v,None,None,None))
    return out
def main():
    files=[]
    for d in sys.argv[1:]:
        files+=sorted(glob.glob(os.path.join(d,'listen','*','p*.log')))
    data=[series(f) for f in files]
    data=[(f,d) for f,d in zip(files,data) if d]
    ncor=sum(1 for f,d in data for r in d if r[2]!=0)
    print('files',len(data),'actual corrections',ncor)
    for K,big,distinct in [(1,12,1),(2,12,1),(3,12,1),(2,12,2),(3,12,2),(4,12,2),(2,20,2),(3,20,2),(4,8,2),(3,6,2),(4,6,3)]:
        res=[]
        for f,d in data:
            for x in evaluate(d,sim(d,K,big,distinct)):
                res.append((f,)+x)
        hits=[x for x in res if x[1]=='hit']; fal=[x for x in res if x[1]=='false']
        over=[abs(x[3]-x[4]) for x in hits]
        rt=[x for x in hits if x[7] is not None]
        fr=[abs(x[3]-x[7]) for x in rt]; ar=[abs(x[4]-x[7]) for x in rt]
        gain=sorted(x[5] for x in hits)
        print('K=%d big=%2d distinct=%d: fires %4d hits %4d false %3d | |fast-actual| mean %.2f >1ms %d max %.2f | written-audio gained p50 %.1f ms min %.1f'%(
            K,big,distinct,len(res),len(hits),len(fal),sum(over)/max(1,len(over)),sum(1 for o in over if o>1),max(over+[0]),
            gain[len(gain)//2] if gain else 0, gain[0] if gain else 0))
        if rt: print('    vs right (n=%d): fast mean %.2f >1ms %d | actual mean %.2f >1ms %d'%(len(rt),sum(fr)/len(fr),sum(1 for v in fr if v>1),sum(ar)/len(ar),sum(1 for v in ar if v>1)))
        for x in fal[:4]:
            print('    false:',x[0][-45:],x[2],'%.2f'%x[3])
if __name__=="__main__": main()
