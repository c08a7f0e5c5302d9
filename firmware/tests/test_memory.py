# Memory on a small board: the state is bounded, nothing leaks across 10,000 messages, and the plain
# integer's hot path allocates nothing. Figures are printed for docs/firmware.md. (This port is
# 32-bit like the ESP8266 and ESP32, so object sizes match; its heap is larger and grows on demand,
# so what is retained is measured as gc.mem_alloc() after a collection, not as gc.mem_free().)
import gc
import concerto_core as core
from unit import eq, true

N = 10000
SRC = ('192.0.2.10', 5000)


def _alloc_per_message(p, make, n=1000):
    msgs = [make(i) for i in range(n)]
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        for i in range(n):
            m = msgs[i]
            p.receive(m, len(m), SRC, 1000 + i)
            p.sound(1000 + i)
        after = gc.mem_alloc()
    finally:
        gc.enable()
    return (after - before) / n


def test_plain_integer_allocates_nothing():
    p = core.Player()
    per = _alloc_per_message(p, lambda i: b'%d' % (100 + i % 900))
    print('    plain integer: %.1f bytes allocated per datagram' % per)
    eq(per, 0.0, 'bytes per plain datagram')


def test_timed_tone_allocation_is_small():
    p = core.Player()
    small = _alloc_per_message(p, lambda i: b'T %d %d 440 100' % (i + 1, 2000 + i))
    p = core.Player()
    large = _alloc_per_message(p, lambda i: b'T %d %d 261.626 2000' % (3000000000 + i, 90000000000 + i))
    print('    timed tone, clock and seq below 2**30: %.1f bytes per datagram' % small)
    print('    timed tone, clock and seq above 2**30 (long ints): %.1f bytes per datagram' % large)
    true(small <= 128, 'small values: %.1f bytes' % small)
    true(large <= 512, 'large values: %.1f bytes' % large)


# Staged tests: the runner calls each stage in its own top-level runPython, because this port's
# gc.collect() only frees what no Python frame still holds once control is back at the top level.
STAGED = {
    'no_growth_across_10000_messages': ['growth_begin', 'growth_mark'] + ['growth_step'] * 10 + ['growth_end'],
    'full_state_fits_an_esp8266': ['state_begin', 'state_fill', 'state_end'],
}
_held = {}


def _heap():
    gc.collect()
    return gc.mem_alloc()


def growth_begin():
    _held['player'] = core.Player(key=None, watchdog_us=30000000)
    msgs = []
    for i in range(50):
        msgs.append(b'%d' % (200 + i))
        msgs.append(b'S %d %d' % (i, 123456789 + i))
        msgs.append(b'garbage %d' % i)
    _held['msgs'] = msgs
    _held['i'] = 0
    growth_step()  # warm up: the state reaches its working size


def growth_mark():
    _held['start'] = _heap()


def growth_step():
    p = _held['player']
    msgs = _held['msgs']
    i0 = _held['i']
    for i in range(i0, i0 + N // 10):
        now = 5000000000 + i * 1000  # past 2**30: the long-integer case
        t = b'T %d %d 440 500' % (4000000000 + i, now + 100000)
        p.receive(t, len(t), SRC, now)
        m = msgs[i % len(msgs)]
        if p.receive(m, len(m), SRC, now) == core.SYNC:
            p.reply(now + 5)
        p.sound(now)
        p.next_change(now)
    _held['i'] = i0 + N // 10


def growth_end():
    end = _heap()
    start = _held['start']
    print('    heap in use after gc: %d bytes, then %d after %d timed + %d other messages (%+d)'
          % (start, end, N, N, end - start))
    true(end - start < 1024, 'retained %d bytes' % (end - start))


def state_begin():
    _held.clear()
    _held['before'] = _heap()


def state_fill():
    p = core.Player()
    for s in range(core.MAX_SOURCES):
        for k in range(core.SEEN_WINDOW):
            m = b'T %d %d 440 100' % (3000000000 + k, 1000001000 + k)
            p.receive(m, len(m), ('192.0.2.%d' % s, 5000), 1000000000)
    for k in range(core.MAX_FUTURE):
        m = b'T %d %d 440 100' % (4000000000 + k, 2000000000 + k)
        p.receive(m, len(m), SRC, 1999999999)
    eq(p.pending(), core.MAX_FUTURE, 'future full')
    _held['player'] = p


def state_end():
    used = _heap() - _held['before']
    print('    worst-case state (16 sources x 64 numbers, 64 future tones): %d bytes' % used)
    true(used < 16 * 1024, 'state %d bytes (an ESP8266 has about 40 KB free)' % used)
