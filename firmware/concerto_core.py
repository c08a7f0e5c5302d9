# Concerto player core for MicroPython: the player rules (concerto_wire.py has the formats), with
# no socket, no machine, no clock and no thread of its own (sans-I/O). A shell (concerto_board.py on a board,
# host/shell.mjs in Node) owns the socket, the PWM pin and the clock, and feeds this core bytes
# and times. The rules are those of PROTOCOL.md and of the Java player (TimedVoice, LegacyCodec,
# TimedCodec); host/run-tests.mjs checks them under the real MicroPython interpreter against the
# same golden files and the shared conformance fixture.
#
# Times are integer microseconds of the player's non-wrapping clock (TicksClock maps the wrapping
# time.ticks_us() onto it). Frequencies are integer millihertz (440 Hz = 440000), exact as on the
# wire. Memory is bounded (the bounds below) and the hot paths parse in place: a plain integer
# allocates nothing; a timed tone allocates its small message record, plus MicroPython's long
# integers once the clock or the sequence number pass 2**30 (docs/firmware.md has the figures).

from concerto_wire import *  # noqa: F401,F403 - the formats' names are the core's vocabulary
from concerto_wire import TimedDecoder, encode_reply

try:
    from micropython import const
except ImportError:  # CPython, for editors and linters
    def const(x):
        return x

# Memory bounds: the protocol's (PROTOCOL.md, "Checks" and "Sources"). A board shell may lower
# max_sources on an ESP8266; each remembered source costs about 300 bytes.
SEEN_WINDOW = const(64)
MAX_FUTURE = const(64)
MAX_SOURCES = const(16)

# The guards of the timed protocol (PROTOCOL.md; the Java PlayerLimits defaults): a longer lease is
# cut to MAX_LEASE_CAP_MS (and counted), a tone starting more than MAX_AHEAD_MS after its arrival is
# too-early, and with a key one that started more than MAX_AGE_MS before it is too-old. Signers
# retired with a key: the Java player remembers 1024; a board remembers MAX_RETIRED (each costs a
# few dozen bytes).
MAX_LEASE_CAP_MS = const(10000)
MAX_AHEAD_MS = const(10000)
MAX_AGE_MS = const(2000)
MAX_RETIRED = const(64)

_PLAIN = 'plain'  # the source of plain integers (they carry no sequence number)

# A message record: a list, indexed by these (one small allocation per accepted tone).
_ID = const(0)
_SRC = const(1)
_HI = const(2)   # sequence number, upper 16 bits
_LO = const(3)   # sequence number, lower 16 bits
_MHZ = const(4)
_AT = const(5)
_START = const(6)
_END = const(7)


class TicksClock:
    """Maps a wrapping tick counter (time.ticks_us(): 2**30 us, about 18 minutes, on many ports)
    onto the non-wrapping microsecond clock the protocol's at, t2 and t3 are in.

    Every step goes through ticks_diff, so a wrap in between is harmless as long as the clock is
    read at least once per half period (about 9 minutes; a shell's loop reads it every second).
    Pure: the shell passes the raw reading in.
    """

    def __init__(self, ticks_diff, first_ticks, start_us=0):
        self._diff = ticks_diff
        self._last = first_ticks
        self._now = start_us

    def at(self, ticks):
        """The clock at this raw tick reading (which must not be older than the last one)."""
        d = self._diff(ticks, self._last)
        if d > 0:
            self._now += d
            self._last = ticks
        return self._now

    def ticks_of(self, micros, ticks_add):
        """The raw tick reading at which the clock will show micros (within half a period)."""
        return ticks_add(self._last, micros - self._now)


class _Source:
    """Sequence state of one source: the last SEEN_WINDOW accepted numbers, kept as 16-bit halves
    in preallocated arrays, so looking one up allocates nothing even above 2**30."""

    def __init__(self, src, window):
        from array import array
        self.src = src
        self.hi = array('H', bytes(2 * window))
        self.lo = array('H', bytes(2 * window))
        self.count = 0
        self.pos = 0
        self.window = window

    def seen(self, hi, lo):
        h = self.hi
        lw = self.lo
        for i in range(self.count):
            if lw[i] == lo and h[i] == hi:
                return True
        return False

    def remember(self, hi, lo):
        if self.seen(hi, lo):
            return
        self.hi[self.pos] = hi
        self.lo[self.pos] = lo
        self.pos = (self.pos + 1) % self.window
        if self.count < self.window:
            self.count += 1


class Player:
    """One player's protocol state: both formats on one port, as the Java player.

    receive(buf, n, src, now) applies one datagram received at player time now (us) from src (any
    comparable value; the shells use the (host, port) tuple) and returns OK, LATE, SYNC (then call
    reply(t3) and send it back to src) or a rejection code. sound(now) advances to now and returns
    the millihertz that must sound (0 = silence); next_change(now) says when that may change
    next (us, or -1: not before the next datagram). A shell calls sound() after each datagram and
    at each next_change() time.

    With a key, a message's identity is its signer, not its address: sequence state is kept per
    signer, a signer taken over from is retired (its messages are stale from then on), tones older
    than max_age_ms on arrival are too-old, and plain integers are refused (unauthenticated).
    signer: this player's own 8 hex digits for its signed replies (the shell draws them at random).

    Counters: counts[code] for every outcome code; watchdog_silences; leases_clamped. Not
    thread-safe: one owner.
    """

    def __init__(self, key=None, watchdog_us=0, allow=None, max_sources=MAX_SOURCES,
                 seen_window=SEEN_WINDOW, max_future=MAX_FUTURE, sha256=None, signer=b'00000000',
                 max_lease_ms=MAX_LEASE_CAP_MS, max_ahead_ms=MAX_AHEAD_MS, max_age_ms=MAX_AGE_MS,
                 max_retired=MAX_RETIRED):
        self.decoder = TimedDecoder(Hmac(key, sha256) if key else None)
        self.keyed = bool(key)
        self.signer = signer
        self.max_lease_ms = max_lease_ms
        self.max_ahead_us = max_ahead_ms * 1000
        self.max_age_us = max_age_ms * 1000
        self.max_retired = max_retired
        self.leases_clamped = 0
        self._retired = []
        self._last_source = None
        self.watchdog_us = watchdog_us
        self.allow = allow
        self.max_sources = max_sources
        self.seen_window = seen_window
        self.max_future = max_future
        self.counts = [0] * (REJECT + len(REASONS))
        self.watchdog_silences = 0
        self._sources = []
        self._future = []
        self._current = None
        self._legacy = 0
        self._next_id = 0
        self._last_news = None
        self._t2 = 0

    # ---- datagrams ---------------------------------------------------------------------------

    def receive(self, buf, n, src, now):
        code = self._receive(buf, n, src, now)
        self.counts[code] += 1
        return code

    def _receive(self, buf, n, src, now):
        if self.allow is not None and src[0] not in self.allow:
            return NOT_ALLOWED
        if n > 0 and is_timed(buf[0]):
            d = self.decoder
            code = d.decode(buf, n)
            if code != OK:
                return code
            if d.kind == KIND_S:
                self._t2 = now
                self._last_news = now
                return SYNC
            if d.kind == KIND_R:
                return BAD_SYNTAX  # a sync reply is for a director, not a player
            code = self._offer(bytes(buf[d.signer_at:d.signer_at + SIGNER_HEX]) if self.keyed else src, now)
            if code < REJECT:
                self._last_news = now
            return code
        if self.keyed:
            return UNAUTHENTICATED  # a plain integer carries no MAC
        mhz = decode_legacy(buf, n)
        if mhz < 0:
            return -mhz
        # The plain integer takes over: it sounds at once and withdraws every timed change.
        self._last_source = _PLAIN
        self._current = None
        self._future.clear()
        self._legacy = mhz
        self._last_news = now
        return OK

    def reply(self, t3):
        """The answer to the sync request just received, with t3 = the clock just before sending."""
        t2 = self._t2
        if t3 < t2:
            t3 = t2
        d = self.decoder
        return encode_reply(d.seq, d.t1, t2, t3, d.hmac, self.signer)

    # ---- the player rules (PROTOCOL.md "Player rules"; Java TimedVoice) ----------------------

    def _source(self, src, create):
        """The sequence state of src (most recently used last; the oldest is forgotten), or None."""
        sources = self._sources
        for i in range(len(sources)):
            s = sources[i]
            if s.src == src:
                if i != len(sources) - 1:
                    sources.pop(i)
                    sources.append(s)
                return s
        if not create:
            return None
        s = _Source(src, self.seen_window)
        sources.append(s)
        if len(sources) > self.max_sources:
            sources.pop(0)
        return s

    def _take_over(self, src):
        """src is now the source: another director's future changes are withdrawn; with a key the
        signer taken over from is retired (its state forgotten, its messages stale from now on)."""
        last = self._last_source
        if last is not None and last != src:
            future = self._future
            i = 0
            while i < len(future):
                if future[i][_SRC] != src:
                    future.pop(i)
                else:
                    i += 1
            if self.keyed and last is not _PLAIN:
                self._retired.append(last)
                if len(self._retired) > self.max_retired:
                    self._retired.pop(0)
                for i in range(len(self._sources)):
                    if self._sources[i].src == last:
                        self._sources.pop(i)
                        break
        self._last_source = src

    def _offer(self, src, now):
        d = self.decoder
        hi = d.seq_hi
        lo = d.seq_lo
        state = self._source(src, False)
        if state is not None and state.seen(hi, lo):
            return DUPLICATE
        if self.keyed and src in self._retired:
            return STALE
        self._advance(now)
        at = d.t1
        start = at if at > now else now
        cur = self._current
        if cur is not None and cur[_SRC] == src and not seq_after(hi, lo, cur[_HI], cur[_LO]):
            return STALE
        for f in self._future:
            if f[_SRC] == src and seq_after(f[_HI], f[_LO], hi, lo) and f[_START] <= start:
                return STALE
        lease = d.lease_ms
        clamped = lease > self.max_lease_ms
        if clamped:
            lease = self.max_lease_ms
        end = at + lease * 1000
        if end <= now:
            return EXPIRED
        if self.keyed and at < now - self.max_age_us:
            return TOO_OLD
        if at > now + self.max_ahead_us:
            return TOO_EARLY
        if clamped:
            self.leases_clamped += 1
        self._source(src, True).remember(hi, lo)
        self._take_over(src)
        future = self._future
        self._next_id += 1
        m = [self._next_id, src, hi, lo, d.mhz, at, start, end]
        if start <= now:
            self._current = m  # not stale, so it wins over what sounds now
        else:
            self._insert(m)
            if len(future) > self.max_future:
                oldest = future[0]
                for f in future:
                    if seq_after(oldest[_HI], oldest[_LO], f[_HI], f[_LO]):
                        oldest = f
                future.remove(oldest)
        return LATE if at < now else OK

    def _insert(self, m):
        """Keeps the future sorted by start, then arrival."""
        future = self._future
        i = len(future)
        while i > 0 and future[i - 1][_START] > m[_START]:
            i -= 1
        future.insert(i, m)

    def _advance(self, now):
        future = self._future
        while future and future[0][_START] <= now:
            f = future.pop(0)
            w = self._current
            if w is None or w[_SRC] != f[_SRC] or seq_after(f[_HI], f[_LO], w[_HI], w[_LO]):
                self._current = f

    def _watchdog(self, now):
        if (self.watchdog_us > 0 and self._last_news is not None
                and now - self._last_news >= self.watchdog_us and self._sounding(now)):
            self.watchdog_silences += 1
            self.silence()

    def _sounding(self, now):
        cur = self._current
        if cur is None:
            return self._legacy != 0 or len(self._future) > 0
        return (cur[_MHZ] != 0 and now < cur[_END]) or len(self._future) > 0

    def silence(self):
        """Silences at once and withdraws every scheduled change (sequence state is kept)."""
        self._current = None
        self._future.clear()
        self._legacy = 0

    def sound(self, now):
        """Advances to player time now and returns what sounds then, in millihertz."""
        self._advance(now)
        self._watchdog(now)
        cur = self._current
        if cur is None:
            return self._legacy
        return cur[_MHZ] if now < cur[_END] else 0

    def next_change(self, now):
        """The next time (us, after now) at which sound() may change without a datagram, or -1."""
        t = -1
        cur = self._current
        if cur is not None and now < cur[_END]:
            t = cur[_END]
        if self._future:
            s = self._future[0][_START]
            if t < 0 or s < t:
                t = s
        if self.watchdog_us > 0 and self._last_news is not None and self._sounding(now):
            w = self._last_news + self.watchdog_us
            if t < 0 or w < t:
                t = w
        return t

    def pending(self):
        """Scheduled (future) messages held, for tests and status."""
        return len(self._future)


def pwm_hz(mhz, low_hz, high_hz, rule):
    """The whole-hertz PWM frequency for a tone of mhz millihertz on a pin limited to
    low_hz..high_hz, or 0 for silence. Rule 'octave' (the default): transpose by whole octaves
    into the range (a melody stays a melody); 'clamp': the nearest limit; 'silence': out of range
    is silent. Never raises for a valid tone."""
    if mhz <= 0:
        return 0
    hz = (mhz + 500) // 1000
    if hz < 1:
        hz = 1
    if low_hz <= hz <= high_hz:
        return hz
    if rule == 'silence':
        return 0
    if rule == 'clamp':
        return low_hz if hz < low_hz else high_hz
    m = mhz
    while m > high_hz * 1000 + 500:
        m //= 2
    while m < low_hz * 1000 - 500:
        m *= 2
    hz = (m + 500) // 1000
    return low_hz if hz < low_hz else high_hz if hz > high_hz else hz
