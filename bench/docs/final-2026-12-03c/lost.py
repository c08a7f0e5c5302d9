# lost.py RUN...: per run folder, notes not heard in its timed rows (sync test), and the total
import sys, re
tot_lost = tot = runs = runs_lost = 0
for d in sys.argv[1:]:
    try: rep = open(d + '/report.md').read().splitlines()
    except OSError: print(d, 'no report'); continue
    row = []
    for l in rep:
        c = [x.strip() for x in l.strip().strip('|').split('|')]
        if l.startswith('|') and re.match(r'timed (\d|host)', c[0]):
            a, b = map(int, c[3].split(' (')[0].split(' of '))
            row.append(f"{c[0]}: {a} of {b}"); tot_lost += b - a; tot += b; runs += 1; runs_lost += a < b
    print(d.rstrip('/').split('/')[-1], ' | '.join(row))
print(f"total: {tot_lost} of {tot} notes not heard; {runs_lost} of {runs} runs lost any")
