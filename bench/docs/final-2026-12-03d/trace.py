#!/usr/bin/env python3
"""Parse a player's TRACE 'line t=' lines: per block t(ms), dev = frameAt - renderPlaying (ms, >0 line late vs map),
residual, correction. Usage: trace.py LOG [around_ms ...]"""
import re, sys, bisect
R=re.compile(r'line t=(\d+) ms played=(-?\d+) written=(\d+) position=(-?\d+) frameAt=(-?\d+) residual=(-?\d+) correction=(-?\d+)')
def parse(path, rate=48000):
    ws=[]; offs=[]; rows=[]
    for l in open(path):
        m=R.search(l)
        if not m: continue
        t,pl,wr,pos,fa,res,cor=map(int,m.groups())
        # offset for frames written from now: position - written (after this write)
        if not offs or offs[-1]!=pos-wr:
            ws.append(wr); offs.append(pos-wr)
        i=bisect.bisect_right(ws,pl)-1
        off=offs[max(i,0)]
        rows.append((t,(fa-(pl+off))*1000/rate,res*1000/rate,cor*1000/rate,pl,wr))
    return rows
if __name__=='__main__':
    rows=parse(sys.argv[1])
    arounds=[int(a) for a in sys.argv[2:]]
    if not arounds:
        arounds=[r[0] for r in rows if r[3]!=0]
    for a in arounds:
        print('--- around',a)
        for r in rows:
            if a-120<=r[0]<=a+250:
                print('%6d dev=%7.2f res=%6.2f cor=%7.2f'%(r[0],r[1],r[2],r[3]))
