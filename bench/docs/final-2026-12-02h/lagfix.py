import json,sys,statistics as st,re
d=sys.argv[1]
by={}
for line in open(d+"/director.events.jsonl"):
    n=json.loads(line)
    if n.get("event")=="sync":
        by.setdefault(n["player"],[]).append(n)
for p,rows in by.items():
    lag={}
    for l in open(f"{d}/{p}.log"):
        m=re.search(r"LAGDBG (\d+) (-?\d+) (-?\d+)",l)
        if m: lag[int(m.group(1))]=(int(m.group(2)),int(m.group(3)))
    rows.sort(key=lambda n:n["t1"])
    ex=[]
    for i,n in enumerate(rows):
        t1,t2,t3,t4=n["t1"],n["t2"],n["t3"],n["t4"]
        if i not in lag: continue
        a,e=lag[i]
        t3x=t3+ (a-e)/1000.0
        ex.append(((t2-t1+t3-t4)/2,(t4-t1)-(t3-t2),(t2-t1+t3x-t4)/2,(t4-t1)-(t3x-t2),a/1000,e/1000, n["t1"]))
    ex=ex[40:]
    m=min(r[1] for r in ex); mx=min(r[3] for r in ex)
    s=[r for r in ex if r[1]<=m+150]; sx=[r for r in ex if r[3]<=mx+150]
    lags=sorted(r[4] for r in ex)
    print(f"{p:9s} n{len(ex)} lag p2 {lags[len(lags)//50]:.0f} p50 {st.median(lags):.0f} p90 {lags[len(lags)*9//10]:.0f} est med {st.median(r[5] for r in ex):.0f} | short off as sent {st.mean(r[0] for r in s):+.1f} (n{len(s)}) | with exact t3 {st.mean(r[2] for r in sx):+.1f} (n{len(sx)}) | sel lag {st.mean(r[4] for r in s):.0f} vs est {st.mean(r[5] for r in s):.0f}")
