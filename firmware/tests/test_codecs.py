# The firmware's decoders against the protocol's golden datagrams: the same files the Java codecs
# are tested with (shared-protocol/src/test/resources/legacy and timed).
import binascii
import concerto_core as core
from unit import eq, true


def _lines(path):
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line and not line.startswith('#'):
                yield line


def _legacy_outcome(data):
    v = core.decode_legacy(data, len(data))
    if v < 0:
        return 'reject:' + core.reason_key(-v)
    return str(v // 1000)


def test_plain_integer_golden_datagrams():
    count = 0
    for line in _lines('/fixtures/legacy-golden.tsv'):
        hexed, expected, what = line.split('\t')
        data = binascii.unhexlify(hexed)
        eq(_legacy_outcome(data), expected, what)
        count += 1
    true(count >= 30, 'golden file read (%d cases)' % count)


def _unescape(text):
    return text.replace('\\r', '\r').replace('\\n', '\n').encode()


def _timed_outcome(player, data):
    code = player.decode(data, len(data))
    if code != core.OK:
        return 'reject:' + core.reason_key(code)
    if player.kind == ord('T'):
        return 'tone %d %d %d %d' % (player.seq, player.t1, player.mhz, player.lease_ms)
    if player.kind == ord('S'):
        return 'sync %d %d' % (player.seq, player.t1)
    return 'reply'


def test_timed_golden_datagrams():
    player = core.TimedDecoder()
    count = 0
    for line in _lines('/fixtures/timed-golden.txt'):
        sep = line.index(' => ')
        data = _unescape(line[:sep])
        expected = line[sep + 4:]
        if expected.startswith('reply'):
            expected = 'reply'  # a player only needs to know it is a well-formed reply
        eq(_timed_outcome(player, data), expected, repr(data))
        count += 1
    true(count >= 30, 'golden file read (%d cases)' % count)


def test_dispatch_by_first_byte():
    for b in b'0123456789+- \t\n':
        true(not core.is_timed(b), 'plain: %r' % b)
    for b in b'TSR':
        true(core.is_timed(b), 'timed: %r' % b)


def test_plain_integer_bad_input_never_raises():
    # The 2017 firmware raised on anything int() refused; the core counts it instead.
    p = core.Player()
    for data in (b'', b'abc', b'\xff\xfe', b'-5', b'99999999999', b'4 4', b'+', b'\x00440', b'1e3'):
        code = p.receive(data, len(data), ('127.0.0.1', 9), 1000)
        true(code >= core.REJECT, 'rejected %r' % data)
        eq(p.sound(1000), 0, 'no tone after %r' % data)


def test_signed_messages():
    key = b'concerto-test-key-0123456789'
    signer = core.Hmac(key)
    keyed = core.TimedDecoder(signer)
    body = b'T 1 5000000 440 500'
    signed = body + b' ' + signer.sign(body)
    eq(keyed.decode(signed, len(signed)), core.OK, 'signed')
    eq(keyed.decode(body, len(body)), core.UNAUTHENTICATED, 'unsigned')
    forged = body + b' 0123456789abcdef'
    eq(keyed.decode(forged, len(forged)), core.FORGED, 'forged')
    tampered = b'T 1 5000000 880 500 ' + signer.sign(body)
    eq(keyed.decode(tampered, len(tampered)), core.FORGED, 'tampered')
    # A player without a key ignores the MAC field (but checks its form).
    eq(core.TimedDecoder().decode(signed, len(signed)), core.OK, 'keyless')


def test_sync_reply_is_signed_with_a_key():
    key = b'concerto-test-key-0123456789'
    p = core.Player(key=key)
    body = b'S 7 123456'
    req = body + b' ' + core.Hmac(key).sign(body)
    eq(p.receive(req, len(req), ('127.0.0.1', 9), 5000000), core.SYNC, 'sync')
    reply = p.reply(5000020)
    fields = reply.split(b' ')
    eq(fields[:6], [b'R', b'7', b'123456', b'5000000', b'5000020', b'legacy,timed/1'], 'reply fields')
    eq(fields[6], core.Hmac(key).sign(reply[:reply.rindex(b' ')]), 'reply MAC')


def test_the_core_imports_no_hardware_or_network_module():
    # The core must run where there is no socket and no machine (this interpreter, a test host).
    for module in ('/concerto_core.py', '/concerto_wire.py'):
        with open(module) as f:
            source = f.read()
        for name in ('socket', 'machine', 'network', 'select', 'time'):
            true('import ' + name not in source, module + ' imports ' + name)
