#!/usr/bin/env python3
"""8 javax.sound players on a private PA null sink, calibrate N times with line timestamps."""
import os, sys, subprocess, time, tempfile, re, threading
S = sys.argv[1]; runs = int(sys.argv[2]); out = sys.argv[3]
extra_cal = sys.argv[4:]  # extra JVM opts for calibrate
os.makedirs(out, exist_ok=True)
d = tempfile.mkdtemp(prefix='cal-pulse-', dir='/tmp')
env = dict(os.environ, XDG_RUNTIME_DIR=d, HOME=d, PULSE_SERVER='unix:' + d + '/pulse/native')
subprocess.run(['pulseaudio', '-n', '--daemonize=yes', '--exit-idle-time=-1', '--log-target=file:' + out + '/pa.log',
                '--log-level=info', '-L', 'module-native-protocol-unix', '-L', 'module-null-sink sink_name=vsink rate=48000 norewinds=1'], env=env, check=True)
for _ in range(200):
    if os.path.exists(d + '/pulse/pid'): break
    time.sleep(0.05)
pid = int(open(d + '/pulse/pid').read())
try:
    open('/proc/%d/autogroup' % pid, 'w').write(open('/proc/self/autogroup').read().split('nice')[1].strip())
except Exception as e: print('autogroup', e)
subprocess.run(['pactl', 'set-default-sink', 'vsink'], env=env, check=True)
subprocess.run(['pactl', 'set-default-source', 'vsink.monitor'], env=env, check=True)
base = 47100
players = []
roster = []
for i in range(8):
    args = ['java', '-XX:+UseSerialGC', '-Xmx96m', '-jar', S + '/player-node/target/player-node-0.1.0-SNAPSHOT-all.jar',
            '--bind', '127.0.0.1:%d' % (base + i), '--name', 'c%d' % (i + 1), '--synth', 'javasound', '--volume', '0.3',
            '--watchdog', '0', '--events', out + '/c%d.events.jsonl' % (i + 1)]
    if i == 5: args += ['--test-output-delay-ms', '7.0']
    players.append(subprocess.Popen(args, env=env, stdout=open(out + '/c%d.log' % (i + 1), 'w'), stderr=subprocess.STDOUT))
    roster.append('{"name": "c%d", "host": "127.0.0.1", "port": %d, "protocol": "timed", "voice": "v%d"}' % (i + 1, base + i, i + 1))
open(out + '/roster.json', 'w').write('{ "players": [\n' + ',\n'.join(roster) + '\n] }\n')
try:
    for i in range(8):
        t0 = time.time()
        while 'listening on udp' not in open(out + '/c%d.log' % (i + 1)).read():
            if time.time() - t0 > 60: raise SystemExit('player %d not ready' % (i + 1))
            time.sleep(0.1)
    time.sleep(5)
    for r in range(1, runs + 1):
        t0 = time.monotonic()
        p = subprocess.Popen(['java'] + extra_cal + ['-jar', S + '/director-app/target/director-app-0.1.0-SNAPSHOT-all.jar',
                              'calibrate', '--roster', out + '/roster.json', '--dry-run'], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with open(out + '/calibrate-%d.log' % r, 'w') as f:
            for line in p.stdout:
                f.write('%7.3f %s' % (time.monotonic() - t0, line))
            p.wait()
            took = time.monotonic() - t0
            f.write('%7.3f exit %d\n' % (took, p.returncode))
        txt = open(out + '/calibrate-%d.log' % r).read()
        m = re.search(r'c6\s+heard\s+([+-][\d.]+)', txt)
        others = [float(x) for x in re.findall(r'c[1-578]\s+heard\s+([+-][\d.]+)', txt)]
        others.sort()
        med = others[len(others)//2] if others else float('nan')
        print('run %d: took %.1f s, c6 %s, found %.2f' % (r, took, m and m.group(1), (float(m.group(1)) - med) if m and others else float('nan')), flush=True)
finally:
    for p in players: p.terminate()
    for p in players: p.wait()
    os.kill(pid, 15)
