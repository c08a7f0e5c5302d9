#!/bin/bash
# corrsign.sh RUNDIR...: line corrections' size minus what the line lost (corrsize.py), signed, split small / large (>12 ms)
python3 /work/diag/corrsize.py $(for d in "$@"; do echo $d/listen/*/; done) 2>/dev/null | grep "t=" | sed 's/= */=/g' | python3 -c "
import sys
d=[];big=[]
for l in sys.stdin:
    kv=dict(x.split('=') for x in l.split() if '=' in x)
    m=float(kv['made']); r=float(kv['right'])
    (big if m>12 else d).append(m-r)
for name,v in (('small',d),('large (>12 ms)',big)):
    v.sort(); n=len(v)
    if n: print(name,'n',n,'made-right p5 %.2f p25 %.2f p50 %.2f p75 %.2f p95 %.2f; >1ms %d'%(v[int(n*.05)],v[int(n*.25)],v[n//2],v[int(n*.75)],v[int(n*.95)],sum(abs(x)>1 for x in v)))
"
