# The firmware's HMAC-SHA256 (built on MicroPython's hashlib.sha256) and the protocol MAC against
# the shared known-answer vectors (shared-protocol/src/test/resources/timed/mac-vectors.json, which
# the Java codec is tested with too), and the full HMAC against RFC 4231.
import binascii
import json
import concerto_core as core
from unit import eq, true

# RFC 4231 test cases 1, 3, 4, 6 and 7 (key, data, HMAC-SHA256), as hex.
RFC4231 = (
    ('0b' * 20, '4869205468657265', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'),
    ('aa' * 20, 'dd' * 50, '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'),
    ('0102030405060708090a0b0c0d0e0f10111213141516171819', 'cd' * 50,
     '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'),
    ('aa' * 131, binascii.hexlify(b'Test Using Larger Than Block-Size Key - Hash Key First').decode(),
     '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'),
    ('aa' * 131, binascii.hexlify(b'This is a test using a larger than block-size key and a larger than block-size'
                                  b' data. The key needs to be hashed before being used by the HMAC algorithm.').decode(),
     '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'),
)


def _vectors():
    with open('/fixtures/mac-vectors.json') as f:
        return json.load(f)


def _describe(d, data):
    code = d.decode(data, len(data))
    if code != core.OK:
        return 'reject:' + core.reason_key(code)
    if d.kind == ord('T'):
        return 'tone %d %d %d %d' % (d.seq, d.t1, d.mhz, d.lease_ms)
    if d.kind == ord('S'):
        return 'sync %d %d' % (d.seq, d.t1)
    return data.decode().split(' ')
    

def test_full_hmac_matches_rfc_4231():
    for key, data, full in RFC4231:
        eq(binascii.hexlify(core.Hmac(binascii.unhexlify(key)).digest(binascii.unhexlify(data))).decode(), full,
           'RFC 4231, key of %d bytes' % (len(key) // 2))


def test_protocol_macs_match_the_shared_vectors():
    vectors = _vectors()['vectors']
    true(len(vectors) >= 8, 'vectors read: %d' % len(vectors))
    for v in vectors:
        h = core.Hmac(binascii.unhexlify(v['key_hex']))
        eq(h.sign(v['message'].encode()).decode(), v['mac'], v['name'])
        eq(v['datagram'], v['message'] + ' ' + v['mac'], v['name'] + ': datagram')


def test_a_keyed_receiver_decodes_the_vectors_as_stated():
    doc = _vectors()
    for v in doc['vectors'] + doc['rejected']:
        d = core.TimedDecoder(core.Hmac(binascii.unhexlify(v['key_hex'])))
        data = v['datagram'].encode()
        got = _describe(d, data)
        if v['decodes_to'].startswith('reply'):
            eq(data[0], ord('R'), v['name'])  # a player decodes a reply only to refuse it
            eq(d.decode(data, len(data)), core.OK, v['name'])
            continue
        eq(got, v['decodes_to'], v['name'])
        if 'signer' in v:
            eq(bytes(data[d.signer_at:d.signer_at + 8]).decode(), v['signer'], v['name'] + ': signer')


def test_short_keys_are_refused():
    try:
        core.Hmac(b'short')
    except ValueError:
        return
    raise AssertionError('a 5-byte key was accepted')
