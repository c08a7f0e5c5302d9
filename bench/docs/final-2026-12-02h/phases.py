import json,sys,statistics as st
f=sys.argv[1]
by={}
for line in open(f):
    n=json.loads(line)
    if n.get("event")=="sync":
        t1,t2,t3,t4=n["t1"],n["t2"],n["t3"],n["t4"]
        by.setdefault(n["player"],[]).append((t1,(t2-t1+t3-t4)/2,(t4-t1)-(t3-t2)))
edges=[0,0.5,1,1.5,2,3,4,6,8,12,16,24,40]
for p,rows in by.items():
    t0=rows[0][0]; m=min(r[2] for r in rows)
    out=[]
    for a,b in zip(edges,edges[1:]):
        s=[r[1] for r in rows if a<=(r[0]-t0)/1e6<b and r[2]<=m+150]
        out.append(f"{a}-{b}:{st.median(s):+.0f}({len(s)})" if s else f"{a}-{b}:-")
    print(p, " ".join(out))
