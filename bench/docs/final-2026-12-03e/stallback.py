# stallback.py RUN...: in each run's host-stalled row, per stall and player: how long after the machine
# resumed the player's line correction came (its first within 0.5 s), and the size of the correction
import sys, json, glob, statistics as st
for d in sys.argv[1:]:
    r = glob.glob(d + '/listen/timed-host-stalled')
    if not r: print(d, 'no host-stalled run'); continue
    r = r[0]
    stalls = [tuple(map(int, l.split()[:2])) for l in open(r + '/host-stalls.txt') if not l.startswith('#')]
    corr = {}
    for f in glob.glob(r + '/p*.events.jsonl'):
        p = f.split('/')[-1].split('.')[0]
        corr[p] = [(e['t_us'], e['shift_ms']) for e in map(json.loads, open(f)) if e['event'] == 'line-correction']
    lags, sizes, missing = [], [], 0
    for a, b in stalls:
        for p, cs in corr.items():
            c = [(t, s) for t, s in cs if a < t <= b + 500_000]
            if c: lags.append((c[0][0] - b) / 1000); sizes.append(c[0][1])
            else: missing += 1
    q = lambda v, x: sorted(v)[min(len(v) - 1, int(x * len(v)))]
    lens = [(b - a) / 1000 for a, b in stalls]
    print(f"{d.split('/')[-1]}: {len(stalls)} stalls of {st.median(lens):.0f} ms (median; {min(lens):.0f}-{max(lens):.0f}); "
          f"correction after resuming p50 {q(lags,.5):.0f} / p90 {q(lags,.9):.0f} / max {max(lags):.0f} ms, "
          f"skipped {st.median(sizes):.0f} ms (median); {missing} player-stalls without a correction within 0.5 s")
