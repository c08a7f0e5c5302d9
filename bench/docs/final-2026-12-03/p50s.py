import sys,re,statistics as st
for grp in sys.argv[1:]:
    sp=[];eb=[];es=[]
    for d in grp.split(','):
        for l in open(d+'/report.md'):
            c=[x.strip() for x in l.strip().strip('|').split('|')]
            if l.startswith('|') and re.match(r'(timed|bwv846) \d',c[0]):
                p50=float(c[8].split(' / ')[0])
                if c[0].startswith('bwv'): eb.append(p50)
                else: sp.append(float(c[4].split(' / ')[0])); es.append(p50)
    print(grp.split(',')[0].split('/')[-1], 'sync spread p50s median', st.median(sp), sorted(sp), '| sync err p50 median', st.median(es), '| BWV err(rate fitted) p50s', sorted(eb), 'median', st.median(eb))
