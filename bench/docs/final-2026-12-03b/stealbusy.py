# stealbusy.py STEALFILE...: the host's steal by how busy the VM was, one sample a second (stealmon.sh's files)
import sys, collections
b = collections.defaultdict(list)
for name in sys.argv[1:]:
    for l in open(name):
        f = dict(x.split('=') for x in l.split()[1:])
        u, s, i, st = [int(f[k]) for k in ('user', 'sys', 'idle', 'steal')]
        tot = u + s + i + st
        if tot < 150 or tot > 260 or u + s < 10:  # a missed second, or no run
            continue
        b[min(int((u + s) / tot * 100 // 20) * 20, 80)].append(st / tot * 100)
for k in sorted(b):
    v = sorted(b[k])
    print(f'VM busy {k}-{k + 20} %: seconds {len(v)}, steal mean {sum(v) / len(v):.1f} %, p90 {v[int(.9 * len(v))]:.1f} %')
