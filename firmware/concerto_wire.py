# Concerto wire formats for MicroPython: the plain integer and timed/1 (PROTOCOL.md), decoded in
# place without allocating, and the MAC (HMAC-SHA256 on hashlib.sha256). Pure: no socket, no
# machine, no clock. The same grammar, limits, checks and check order as the Java LegacyCodec,
# TimedCodec and Authenticator; tests/test_codecs.py and test_hmac.py run the shared golden files
# and known-answer vectors against it under the real MicroPython interpreter.

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
           'expired', 'too-early', 'too-old')
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
TOO_EARLY = const(29)
TOO_OLD = const(30)

# Wire limits (PROTOCOL.md; the same numbers as LegacyCodec and TimedCodec).
LEGACY_MAX_BYTES = const(10)
TONE_MAX_BYTES = const(80)
TIMED_MAX_BYTES = const(128)
MIN_MHZ = const(1000)
MAX_MHZ = const(20000000)
MAX_LEASE_MS = const(600000)
MAC_BYTES = const(8)
MAC_HEX = const(16)
SIGNER_HEX = const(8)
VERSIONS = b'legacy,timed/1'

# Kinds of timed message (the first byte).
KIND_T = const(84)   # b'T': a tone
KIND_S = const(83)   # b'S': a sync request
KIND_R = const(82)   # b'R': a sync reply
_SP = const(32)
_ZERO = const(48)
_NINE = const(57)
_DOT = const(46)

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
    return first == KIND_T or first == KIND_S or first == KIND_R


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


class TimedDecoder:
    """Decodes timed datagrams in place into its fields (kind, seq_hi/seq_lo, t1 = at for a tone,
    mhz, lease_ms, and signer_at: where the 8 hex digits of the signer start, -1 when unsigned):
    no tuple, no list, no slice per message. With an Hmac, every message must be signed
    (' signer mac', the MAC over every byte before ' mac'). One owner (not thread-safe)."""

    def __init__(self, hmac=None):
        self.hmac = hmac
        self.kind = 0
        self.seq_hi = 0
        self.seq_lo = 0
        self.t1 = 0
        self.mhz = 0
        self.lease_ms = 0
        self.signer_at = -1
        self._pos = 0

    def decode(self, buf, n):
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
        if buf[0] == KIND_T and length > TONE_MAX_BYTES:
            return TOO_LONG  # before any other check: an oversize tone is too long, whatever else is wrong
        # Fields separated by single spaces: count them, remember where the last two start.
        fields = 1
        last = 0
        before_last = 0
        if buf[0] == _SP:
            return BAD_SYNTAX
        i = 1
        while i < n:
            if buf[i] == _SP:
                if buf[i - 1] == _SP or i == n - 1 or fields > 8:
                    return BAD_SYNTAX
                fields += 1
                before_last = last
                last = i + 1
            i += 1
        kind = buf[0]
        if (n > 1 and buf[1] != _SP) or not is_timed(kind):
            return BAD_SYNTAX
        body = 5 if kind == KIND_T else 3 if kind == KIND_S else 6
        if fields != body and fields != body + 2:
            return BAD_SYNTAX
        self.signer_at = -1
        if fields == body + 2:
            if last - 1 - before_last != SIGNER_HEX or not _lower_hex(buf, before_last, last - 1):
                return BAD_SYNTAX
            if n - last != MAC_HEX or not _lower_hex(buf, last, n):
                return BAD_SYNTAX
            if self.hmac is not None and not self.hmac.verify(buf, last - 1, last):
                return FORGED
            self.signer_at = before_last
            n = before_last - 1  # the message's own fields end before the signer
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
        if kind == KIND_S:
            return OK
        if kind == KIND_T:
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


def encode_reply(seq, t1, t2, t3, hmac=None, signer=b'00000000'):
    """A sync reply: R seq t1 t2 t3 versions; with an hmac followed by ' signer mac' (signer: this
    player's 8 lower-case hex digits, drawn at random when it starts)."""
    body = b'R %d %d %d %d ' % (seq, t1, t2, t3) + VERSIONS
    if hmac is None:
        return body
    body += b' ' + signer
    return body + b' ' + hmac.sign(body)


def _lower_hex(buf, start, end):
    for j in range(start, end):
        b = buf[j]
        if not (_ZERO <= b <= _NINE or 97 <= b <= 102):
            return False
    return True
