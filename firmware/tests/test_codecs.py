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
    body = b'T 1 5000000 440 500 0badc0de'
    signed = body + b' ' + signer.sign(body)
    eq(keyed.decode(signed, len(signed)), core.OK, 'signed')
    eq(bytes(signed[keyed.signer_at:keyed.signer_at + 8]), b'0badc0de', 'the signer')
    unsigned = b'T 1 5000000 440 500'
    eq(keyed.decode(unsigned, len(unsigned)), core.UNAUTHENTICATED, 'unsigned')
    forged = body + b' 0123456789abcdef'
    eq(keyed.decode(forged, len(forged)), core.FORGED, 'forged')
    other = b'T 1 5000000 440 500 0badc0df ' + signer.sign(body)
    eq(keyed.decode(other, len(other)), core.FORGED, 'the signer is signed too')
    # A player without a key checks the signer's and the MAC's form only.
    eq(core.TimedDecoder().decode(signed, len(signed)), core.OK, 'keyless')
    eq(core.TimedDecoder().decode(forged, len(forged)), core.OK, 'keyless, any MAC')


def test_keyed_player_refuses_plain_integers_and_signs_its_replies():
    key = b'concerto-test-key-0123456789'
    h = core.Hmac(key)
    p = core.Player(key=key, signer=b'89abcdef')
    eq(p.receive(b'440', 3, ('127.0.0.1', 9), 1000), core.UNAUTHENTICATED, 'plain integer with a key')
    body = b'S 7 123456 0badc0de'
    req = body + b' ' + h.sign(body)
    eq(p.receive(req, len(req), ('127.0.0.1', 9), 5000000), core.SYNC, 'sync')
    reply = p.reply(5000020)
    fields = reply.split(b' ')
    eq(fields[:7], [b'R', b'7', b'123456', b'5000000', b'5000020', b'legacy,timed/1', b'89abcdef'], 'reply fields')
    eq(fields[7], h.sign(reply[:reply.rindex(b' ')]), 'reply MAC over everything before it, the signer included')


def test_the_core_imports_no_hardware_or_network_module():
    # The core must run where there is no socket and no machine (this interpreter, a test host).
    for module in ('/concerto_core.py', '/concerto_wire.py'):
        with open(module) as f:
            source = f.read()
        for name in ('socket', 'machine', 'network', 'select', 'time'):
            true('import ' + name not in source, module + ' imports ' + name)
