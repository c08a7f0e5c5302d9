# Concerto player core for MicroPython: the wire formats and the player rules, with no socket,
# no machine, no clock and no thread of its own (sans-I/O). A shell (concerto_board.py on a board,
# host/shell.mjs in Node) owns the socket, the PWM pin and the clock, and feeds this core bytes
# and times. The rules are those of PROTOCOL.md and of the Java player (TimedVoice, LegacyCodec,
# TimedCodec); host/run-tests.mjs checks them under the real MicroPython interpreter against the
# same golden files and the shared conformance fixture.
#
# Times are integer microseconds of the player's non-wrapping clock (TicksClock maps the wrapping
# time.ticks_us() onto it). Frequencies are integer millihertz (440 Hz = 440000), exact as on the
# wire. Memory is bounded (see the LIMITS below) and the hot paths parse in place: a plain integer
# allocates nothing; a timed tone allocates its small message record, plus MicroPython's long
# integers once the clock or the sequence number pass 2**30 (docs/firmware.md has the figures).

try:
    from micropython import const
except ImportError:  # CPython, for editors and linters
    def const(x):
        return x

# Outcomes of Player.receive(): accepted, accepted late, a sync request to answer, or a rejection
# (REJECT + index into REASONS).
OK = const(0)
LATE = const(1)
SYNC = const(2)
REJECT = const(16)

# Rejection reasons, keyed exactly as the Java RejectReason keys (logs, counters, fixtures).
REASONS = ('empty', 'not-a-number', 'negative', 'out-of-range', 'too-long', 'not-ascii',
           'bad-syntax', 'unauthenticated', 'forged', 'not-allowed', 'duplicate', 'stale',
           'expired')
EMPTY = const(16)
NOT_A_NUMBER = const(17)
NEGATIVE = const(18)
OUT_OF_RANGE = const(19)
TOO_LONG = const(20)
NOT_ASCII = const(21)
BAD_SYNTAX = const(22)
UNAUTHENTICATED = const(23)
FORGED = const(24)
NOT_ALLOWED = const(25)
DUPLICATE = const(26)
STALE = const(27)
EXPIRED = const(28)

# Wire limits (PROTOCOL.md; the same numbers as LegacyCodec and TimedCodec).
LEGACY_MAX_BYTES = const(10)
TONE_MAX_BYTES = const(64)
TIMED_MAX_BYTES = const(128)
MIN_MHZ = const(1000)
MAX_MHZ = const(20000000)
MAX_LEASE_MS = const(600000)
MAC_BYTES = const(8)
MAC_HEX = const(16)
VERSIONS = b'legacy,timed/1'

# Memory bounds: the protocol's (PROTOCOL.md, "Checks" and "Sources"). A board shell may lower
# max_sources on an ESP8266; each remembered source costs about 300 bytes.
SEEN_WINDOW = const(64)
MAX_FUTURE = const(64)
MAX_SOURCES = const(16)

_T = const(84)   # b'T'
_S = const(83)   # b'S'
_R = const(82)   # b'R'
_SP = const(32)
_ZERO = const(48)
_NINE = const(57)
_DOT = const(46)

# A message record: a list, indexed by these (one small allocation per accepted tone).
_ID = const(0)
_SRC = const(1)
_HI = const(2)   # sequence number, upper 16 bits
_LO = const(3)   # sequence number, lower 16 bits
_MHZ = const(4)
_AT = const(5)
_START = const(6)
_END = const(7)


def reason_key(code):
    """The reason key of a rejection code, e.g. 'too-long'; None for OK/LATE/SYNC."""
    return REASONS[code - REJECT] if code >= REJECT else None


def seq_after(a_hi, a_lo, b_hi, b_lo):
    """Whether sequence number a comes after b (RFC 1982, 32-bit serial arithmetic). Numbers are
    kept as 16-bit halves so that no comparison makes a long integer (a 32-bit port's small
    integers stop at 2**30)."""
    dh = a_hi - b_hi
    dl = a_lo - b_lo
    if dl < 0:
        dh -= 1
        dl += 0x10000
    dh &= 0xFFFF
    return (dh != 0 or dl != 0) and dh < 0x8000


def is_timed(first):
    """Whether a datagram starting with this byte is the timed protocol (else the plain integer)."""
    return first == _T or first == _S or first == _R


def _is_ws(b):
    return b == _SP or 9 <= b <= 13


def decode_legacy(buf, n):
    """The plain integer in buf[0:n] as millihertz (>= 0), or minus a rejection code.

    Exactly LegacyCodec: at most 10 bytes; ASCII; surrounding whitespace, one '+' and leading
    zeros allowed; 0 (silence) or 1..20000 Hz. Allocates nothing.
    """
    if n > LEGACY_MAX_BYTES:
        return -TOO_LONG
    i = 0
    while i < n:
        if buf[i] >= 128:
            return -NOT_ASCII
        i += 1
    i = 0
    while i < n and _is_ws(buf[i]):
        i += 1
    while n > i and _is_ws(buf[n - 1]):
        n -= 1
    if i == n:
        return -EMPTY
    if buf[i] == 45:  # '-'
        return -NEGATIVE
    if buf[i] == 43:  # '+'
        i += 1
        if i == n:
            return -NOT_A_NUMBER
    v = 0
    while i < n:
        b = buf[i]
        if b < _ZERO or b > _NINE:
            return -NOT_A_NUMBER
        v = v * 10 + b - _ZERO  # at most 10 digits: a long integer only for values far out of range
        i += 1
    if v > 20000:
        return -OUT_OF_RANGE
    return v * 1000


class Hmac:
    """HMAC-SHA256 (RFC 2104) on MicroPython's hashlib.sha256, truncated to 8 bytes as the
    protocol's MAC. The pads are computed once; each MAC costs two hash objects."""

    def __init__(self, key, sha256=None):
        if sha256 is None:
            import hashlib
            sha256 = hashlib.sha256
        if len(key) < 16:
            raise ValueError('a shared key needs at least 16 bytes')
        if len(key) > 64:
            key = sha256(key).digest()
        k = bytearray(64)
        k[0:len(key)] = key
        self._ipad = bytes(b ^ 0x36 for b in k)
        self._opad = bytes(b ^ 0x5c for b in k)
        self._sha256 = sha256

    def digest(self, msg):
        """The full 32-byte HMAC of msg (bytes, bytearray or memoryview)."""
        inner = self._sha256(self._ipad)
        inner.update(msg)
        outer = self._sha256(self._opad)
        outer.update(inner.digest())
        return outer.digest()

    def sign(self, msg):
        """The protocol MAC of msg: 16 lower-case hex digits, as bytes."""
        d = self.digest(msg)
        out = bytearray(MAC_HEX)
        for i in range(MAC_BYTES):
            out[2 * i] = _HEX[d[i] >> 4]
            out[2 * i + 1] = _HEX[d[i] & 15]
        return bytes(out)

    def verify(self, buf, n, mac_at):
        """Whether buf[mac_at:mac_at+16] is the MAC of buf[0:n]; compared in constant time."""
        d = self.digest(memoryview(buf)[0:n])
        diff = 0
        for i in range(MAC_BYTES):
            diff |= _HEX[d[i] >> 4] ^ buf[mac_at + 2 * i]
            diff |= _HEX[d[i] & 15] ^ buf[mac_at + 2 * i + 1]
        return diff == 0


_HEX = b'0123456789abcdef'


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

    Counters: counts[code] for every outcome code; watchdog_silences. Not thread-safe: one owner.
    """

    def __init__(self, key=None, watchdog_us=0, allow=None, max_sources=MAX_SOURCES,
                 seen_window=SEEN_WINDOW, max_future=MAX_FUTURE, sha256=None):
        self.hmac = Hmac(key, sha256) if key else None
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
        # The decoded fields of the last timed message (no tuple per message).
        self.kind = 0
        self.seq_hi = 0
        self.seq_lo = 0
        self.t1 = 0
        self.mhz = 0
        self.lease_ms = 0
        self._t2 = 0
        self._pos = 0

    # ---- datagrams ---------------------------------------------------------------------------

    def receive(self, buf, n, src, now):
        code = self._receive(buf, n, src, now)
        self.counts[code] += 1
        return code

    def _receive(self, buf, n, src, now):
        if self.allow is not None and src[0] not in self.allow:
            return NOT_ALLOWED
        if n > 0 and is_timed(buf[0]):
            code = self.decode_timed(buf, n)
            if code != OK:
                return code
            if self.kind == _S:
                self._t2 = now
                self._last_news = now
                return SYNC
            if self.kind == _R:
                return BAD_SYNTAX  # a sync reply is for a director, not a player
            code = self._offer(src, now)
            if code < REJECT:
                self._last_news = now
            return code
        mhz = decode_legacy(buf, n)
        if mhz < 0:
            return -mhz
        # The plain integer takes over: it sounds at once and withdraws every timed change.
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
        body = b'R %d %d %d %d ' % (self.seq, self.t1, t2, t3) + VERSIONS
        if self.hmac is None:
            return body
        return body + b' ' + self.hmac.sign(body)

    # ---- timed decoding ----------------------------------------------------------------------

    def decode_timed(self, buf, n):
        """Decodes a timed datagram into self.kind/seq/t1/mhz/lease_ms; OK or a rejection code.
        The checks and their order are TimedCodec's."""
        if n > TIMED_MAX_BYTES:
            return TOO_LONG
        length = n
        i = 0
        while i < n:
            if buf[i] >= 128:
                return NOT_ASCII
            i += 1
        if n > 0 and buf[n - 1] == 10:
            n -= 1
            if n > 0 and buf[n - 1] == 13:
                n -= 1
        if n == 0:
            return EMPTY
        # Fields separated by single spaces: count them, remember where the last two start.
        fields = 1
        last = 0
        before_last = 0
        if buf[0] == _SP:
            return BAD_SYNTAX
        i = 1
        while i < n:
            if buf[i] == _SP:
                if buf[i - 1] == _SP or i == n - 1 or fields > 7:
                    return BAD_SYNTAX
                fields += 1
                before_last = last
                last = i + 1
            i += 1
        kind = buf[0]
        if (n > 1 and buf[1] != _SP) or not is_timed(kind):
            return BAD_SYNTAX
        body = 5 if kind == _T else 3 if kind == _S else 6
        if fields != body and fields != body + 1:
            return BAD_SYNTAX
        if kind == _T and length > TONE_MAX_BYTES:
            return TOO_LONG
        if fields == body + 1:
            if n - last != MAC_HEX:
                return BAD_SYNTAX
            for j in range(last, n):
                b = buf[j]
                if not (_ZERO <= b <= _NINE or 97 <= b <= 102):
                    return BAD_SYNTAX
            if self.hmac is not None and not self.hmac.verify(buf, last - 1, last):
                return FORGED
            n = last - 1  # the fields end before the MAC
        elif self.hmac is not None:
            return UNAUTHENTICATED
        self.kind = kind
        self._pos = 2
        seq = self._sequence(buf, n)
        if seq != OK:
            return seq
        t1 = self._number(buf, n, 15)
        if t1 < 0:
            return BAD_SYNTAX
        self.t1 = t1
        if kind == _S:
            return OK
        if kind == _T:
            mhz = self._millihertz(buf, n)
            if mhz < 0:
                return BAD_SYNTAX
            if mhz != 0 and (mhz < MIN_MHZ or mhz > MAX_MHZ):
                return OUT_OF_RANGE
            lease = self._number(buf, n, 6)
            if lease < 0:
                return BAD_SYNTAX
            if lease < 1 or lease > MAX_LEASE_MS:
                return OUT_OF_RANGE
            self.mhz = mhz
            self.lease_ms = lease
            return OK
        # 'R': checked as far as a player needs (it is rejected as bad-syntax in any case).
        if self._number(buf, n, 15) < 0 or self._number(buf, n, 15) < 0:
            return BAD_SYNTAX
        for j in range(self._pos, n):
            b = buf[j]
            if not (97 <= b <= 122 or _ZERO <= b <= _NINE or b == 47 or b == 46 or b == 45 or b == 44):
                return BAD_SYNTAX
            if b == 44 and (j == self._pos or j == n - 1 or buf[j - 1] == 44):
                return BAD_SYNTAX
        return OK

    @property
    def seq(self):
        """The sequence number of the last timed message decoded (a long integer above 2**30)."""
        return (self.seq_hi << 16) | self.seq_lo

    def _sequence(self, buf, n):
        """The sequence number at self._pos into seq_hi/seq_lo, digit by digit in 16-bit halves
        (no long integers); OK, BAD_SYNTAX or OUT_OF_RANGE (above 4294967295)."""
        i = self._pos
        hi = 0
        lo = 0
        start = i
        while i < n and buf[i] != _SP:
            b = buf[i]
            if b < _ZERO or b > _NINE:
                return BAD_SYNTAX
            lo = lo * 10 + b - _ZERO
            hi = hi * 10 + (lo >> 16)
            lo &= 0xFFFF
            if hi > 0xFFFFF:
                hi = 0x10000  # far out of range: stop the halves from growing (at most 10 digits)
            i += 1
        if i == start or i - start > 10:
            return BAD_SYNTAX
        if hi > 0xFFFF:
            return OUT_OF_RANGE
        self.seq_hi = hi
        self.seq_lo = lo
        self._pos = i + 1
        return OK

    def _number(self, buf, n, max_digits):
        """The decimal field at self._pos (1..max_digits digits, up to a space or n), or -1."""
        i = self._pos
        v = 0
        start = i
        while i < n and buf[i] != _SP:
            b = buf[i]
            if b < _ZERO or b > _NINE:
                return -1
            v = v * 10 + b - _ZERO
            i += 1
        if i == start or i - start > max_digits:
            return -1
        self._pos = i + 1
        return v

    def _millihertz(self, buf, n):
        """'440', '440.5' or '261.626' at self._pos as millihertz, or -1."""
        i = self._pos
        start = i
        whole = 0
        while i < n and buf[i] != _SP and buf[i] != _DOT:
            b = buf[i]
            if b < _ZERO or b > _NINE:
                return -1
            whole = whole * 10 + b - _ZERO
            i += 1
        if i == start or i - start > 5:
            return -1
        frac = 0
        if i < n and buf[i] == _DOT:
            i += 1
            f0 = i
            while i < n and buf[i] != _SP:
                b = buf[i]
                if b < _ZERO or b > _NINE:
                    return -1
                frac = frac * 10 + b - _ZERO
                i += 1
            digits = i - f0
            if digits < 1 or digits > 3:
                return -1
            frac *= 100 if digits == 1 else 10 if digits == 2 else 1
        self._pos = i + 1
        return whole * 1000 + frac

    # ---- the player rules (PROTOCOL.md "Player rules"; Java TimedVoice) ----------------------

    def _source(self, src):
        """The sequence state of src, most recently used last; the oldest is forgotten."""
        sources = self._sources
        for i in range(len(sources)):
            s = sources[i]
            if s.src == src:
                if i != len(sources) - 1:
                    sources.pop(i)
                    sources.append(s)
                return s
        s = _Source(src, self.seen_window)
        sources.append(s)
        if len(sources) > self.max_sources:
            sources.pop(0)
        return s

    def _offer(self, src, now):
        hi = self.seq_hi
        lo = self.seq_lo
        state = self._source(src)
        if state.seen(hi, lo):
            return DUPLICATE
        self._advance(now)
        at = self.t1
        start = at if at > now else now
        cur = self._current
        if cur is not None and cur[_SRC] == src and not seq_after(hi, lo, cur[_HI], cur[_LO]):
            return STALE
        for f in self._future:
            if f[_SRC] == src and seq_after(f[_HI], f[_LO], hi, lo) and f[_START] <= start:
                return STALE
        end = at + self.lease_ms * 1000
        if end <= now:
            return EXPIRED
        state.remember(hi, lo)
        future = self._future
        i = 0
        while i < len(future):  # another director took over: its future changes are withdrawn
            if future[i][_SRC] != src:
                future.pop(i)
            else:
                i += 1
        self._next_id += 1
        m = [self._next_id, src, hi, lo, self.mhz, at, start, end]
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
