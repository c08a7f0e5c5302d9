import json,sys,statistics as st
for f in sys.argv[1:]:
    by={}
    for line in open(f):
        n=json.loads(line)
        if n.get("event")=="sync":
            t1,t2,t3,t4=n["t1"],n["t2"],n["t3"],n["t4"]
            by.setdefault(n["player"],[]).append(((t2-t1+t3-t4)/2,(t4-t1)-(t3-t2),t2-t1,t4-t3,n["stamped_offset_us"]))
    print(f)
    for p,rows in by.items():
        rows=rows[40:]
        m=min(r[1] for r in rows)
        for slack in (50,100,200):
            s=[r for r in rows if r[1]<=m+slack]
            print(f"  {p:9s} min {m} slack {slack}: n {len(s):3d} mean off {st.mean(r[0] for r in s):6.1f} fw {st.mean(r[2] for r in s):6.1f} bk {st.mean(r[3] for r in s):6.1f}  | all median off {st.median(r[0] for r in rows):6.1f} stamped med {st.median(r[4] for r in rows):6.1f}")
