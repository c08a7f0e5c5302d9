# freeze.py SECONDS PERIOD_S STALL_MS LOG: every PERIOD_S, stop every process of a listen run
# (the bench's pulseaudio, parecord, players, director) for STALL_MS, as a host stall would.
import os, sys, time, signal, subprocess
dur, period, stall, log = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])/1000, sys.argv[4]
min_age = float(sys.argv[5]) if len(sys.argv) > 5 else 0  # only when every player is this old, s
pat = ['pulseaudio', 'parecord', 'player-node', 'director-app']
def pids():
    out = []
    for p in os.listdir('/proc'):
        if not p.isdigit() or int(p) == os.getpid(): continue
        try: cmd = open(f'/proc/{p}/cmdline','rb').read().replace(b'\0', b' ').decode()
        except Exception: continue
        if 'freeze.py' in cmd: continue
        if any(s in cmd for s in pat) and 'bench-0.1.0' not in cmd: out.append(int(p))
    return out
end = time.time() + dur
with open(log, 'w') as f:
    while time.time() < end:
        time.sleep(period)
        ps = pids()
        if len(ps) < 3: continue
        if min_age > 0:
            up = float(open('/proc/uptime').read().split()[0]); hz = os.sysconf('SC_CLK_TCK')
            ages = []
            for p in ps:
                try:
                    cmd = open(f'/proc/{p}/cmdline','rb').read()
                    if b'player-node' not in cmd: continue
                    st = open(f'/proc/{p}/stat').read(); st = st[st.rindex(')')+2:].split()
                    ages.append(up - int(st[19]) / hz)
                except Exception: pass
            if not ages or min(ages) < min_age: continue
        t0 = time.time()
        for p in ps:
            try: os.kill(p, signal.SIGSTOP)
            except ProcessLookupError: pass
        time.sleep(stall)
        for p in ps:
            try: os.kill(p, signal.SIGCONT)
            except ProcessLookupError: pass
        t1 = time.time()
        f.write(f"{int(t0*1e6)} {int(t1*1e6)} {len(ps)}\n"); f.flush()
