# The board's wrapping tick counter mapped to the protocol's non-wrapping microsecond clock, using
# the interpreter's own time.ticks_add/ticks_diff (period 2**30 us on this 32-bit port, as on the
# ESP8266 and ESP32), with simulated readings near the wrap.
import time
import concerto_core as core
from unit import eq, true

PERIOD = 1 << 30


def test_this_port_wraps_at_2_30_like_the_boards():
    eq(time.ticks_add(PERIOD - 1, 1), 0, 'wraps to 0')
    eq(time.ticks_diff(0, PERIOD - 1), 1, 'one microsecond across the wrap')


def test_clock_runs_on_across_the_wrap():
    first = PERIOD - 5000000  # 5 s before the wrap
    clock = core.TicksClock(time.ticks_diff, first, start_us=1000)
    ticks = first
    last = clock.at(ticks)
    for step in range(100):  # 100 steps of 0.1 s: 10 s, through the wrap
        ticks = time.ticks_add(ticks, 100000)
        now = clock.at(ticks)
        eq(now - last, 100000, 'step %d' % step)
        last = now
    true(ticks < first, 'the raw ticks wrapped')
    eq(last, 1000 + 10000000, 'ten seconds later, no jump')


def test_several_wraps():
    clock = core.TicksClock(time.ticks_diff, 0)
    ticks = 0
    for _ in range(5 * 8):  # five periods in steps of an eighth
        ticks = time.ticks_add(ticks, PERIOD // 8)
        clock.at(ticks)
    eq(clock.at(ticks), 5 * PERIOD, 'five periods, about 90 minutes')


def test_an_older_reading_does_not_move_the_clock_back():
    clock = core.TicksClock(time.ticks_diff, 1000)
    eq(clock.at(2000), 1000, 'forward')
    eq(clock.at(1500), 1000, 'an older reading (taken before the last) is ignored')


def test_ticks_of_a_protocol_time_across_the_wrap():
    first = PERIOD - 100
    clock = core.TicksClock(time.ticks_diff, first, start_us=7000000)
    target = clock.ticks_of(7000000 + 300, time.ticks_add)
    eq(target, 200, 'the deadline lies after the wrap')
    true(time.ticks_diff(target, first) == 300, 'and ticks_diff sees it 300 us ahead')


def test_a_tone_scheduled_across_the_wrap_starts_on_time():
    first = PERIOD - 50000  # 50 ms before the wrap
    clock = core.TicksClock(time.ticks_diff, first, start_us=2000000000)  # past 2**30: long integers
    p = core.Player()
    now = clock.at(first)
    msg = b'T 1 %d 440 100' % (now + 80000)  # 80 ms ahead: 30 ms after the wrap
    eq(p.receive(msg, len(msg), ('127.0.0.1', 1), now), core.OK, 'scheduled')
    ticks = first
    changes = []
    last = 0
    for _ in range(300):  # 1 ms steps
        ticks = time.ticks_add(ticks, 1000)
        hz = p.sound(clock.at(ticks))
        if hz != last:
            changes.append((time.ticks_diff(ticks, first), hz))
            last = hz
    eq(changes, [(80000, 440000), (180000, 0)], 'start and lease end, in ticks after the first reading')
