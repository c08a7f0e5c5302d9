# The Node shell's side inside MicroPython: owns the firmware core and the ticks clock, and speaks
# to JavaScript in small ints and strings (the JS bridge passes integers as 32 bits, so the shell
# gives raw ticks, which are below 2**30, and gets times back as text).
import binascii
import time
import concerto_core as core

player = None
clock = None
_last = [0, 0]  # the player time and millihertz of the last due() call


def init(key_hex, watchdog_ms, first_ticks, signer_hex):
    global player, clock
    key = binascii.unhexlify(key_hex) if key_hex else None
    player = core.Player(key=key, watchdog_us=watchdog_ms * 1000, signer=signer_hex.encode())
    clock = core.TicksClock(time.ticks_diff, first_ticks)


def rx(data_hex, host, port, ticks):
    """One datagram received at these raw ticks: its outcome code."""
    now = clock.at(ticks)
    data = binascii.unhexlify(data_hex)
    return player.receive(data, len(data), (host, port), now)


def outcome(code):
    """The outcome's name: 'ok', 'late', 'sync' or the rejection's key ('expired', ...)."""
    return core.reason_key(code) or ('ok', 'late', 'sync')[code]


def reply(ticks):
    """The answer to the sync just received, t3 at these ticks."""
    return player.reply(clock.at(ticks)).decode()


def due(ticks):
    """'mhz delay_us now_us due_us [mhz@due_us ...]': what sounds now, how long until it may
    change (-1: not by itself), when what sounds now fell due, and the changes that fell due since the last call but were overtaken
    by a later one before this call (the shell woke late: a busy machine), with their due times."""
    now = clock.at(ticks)
    t_last, prev = _last
    passed = []
    t = player.next_change(t_last)
    while 0 <= t <= now:
        m = player.sound(t)
        if m != prev:
            passed.append((m, t))
            prev = m
        t = player.next_change(t)
    mhz = player.sound(now)
    due_at = now  # a change made by a datagram is due when it is received
    if passed and passed[-1][0] == mhz:
        due_at = passed.pop()[1]  # the change this call applies (on time, or late by now - due)
    nxt = player.next_change(now)
    _last[0] = now
    _last[1] = mhz
    return '%d %d %d %d%s' % (mhz, nxt - now if nxt >= 0 else -1, now, due_at,
                              ''.join(' %d@%d' % p for p in passed))


def counters():
    out = {}
    for code in range(len(player.counts)):
        n = player.counts[code]
        if n:
            out[outcome(code)] = n
    out['watchdog'] = player.watchdog_silences
    import json
    return json.dumps(out)
