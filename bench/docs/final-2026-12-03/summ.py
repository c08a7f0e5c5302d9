import sys,re,glob,os
def cells(l): return [c.strip() for c in l.strip().strip('|').split('|')]
for d in sys.argv[1:]:
    r=open(d+'/report.md').read().splitlines()
    out=[]; corr={}
    for l in r:
        c=cells(l) if l.startswith('|') else None
        if not c: continue
        if c[0]=='timed host-stalled':
            out.append(f"hoststalls:({c[3].split(' (')[0]},{c[4]})"); continue
        if re.match(r'(timed|plain|bwv846) \d',c[0]):
            heard=c[3].split(' (')[0]; a,b=heard.split(' of ')
            if c[0].startswith('bwv'):
                p99,mx=[float(x) for x in c[8].split(' / ')[1:]]
            else:
                p99,mx=[float(x) for x in c[4].split(' / ')[1:]]
            ok= a==b and (c[0].startswith('plain') or (p99<=1 and mx<=2))
            out.append(f"{c[0]}:{'OK' if ok else 'x'}({heard},{p99:.2f}/{mx:.2f})")
        elif len(c) in (9,10) and c[1]=='7.0':
            ok=c[8]=='met'; out.append(f"cal{c[0]}:{'OK' if ok else 'x'}({c[3]},{c[4]},{c[7]}s,{c[6]}corr)")
        elif len(c) in (10,11) and 'of 80' in c[0]:
            out.append(f"stall:back {c[7]}s every<=2ms within {c[9]}")
    n={}
    for sub in sorted(glob.glob(d+'/listen/*/')):
        k=os.path.basename(sub.rstrip('/'))
        n[k]=sum(open(f).read().count('to be back in time') for f in glob.glob(sub+'p[0-9]*.log'))
    print(os.path.basename(d)); print('  '+'  '.join(out)); print('  corrections:',' '.join(f"{k}={v}" for k,v in n.items()))
