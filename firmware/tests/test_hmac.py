# The firmware's HMAC-SHA256 (built on MicroPython's hashlib.sha256) against the shared known-answer
# vectors, which the Java Authenticator is tested with too.
import binascii
import concerto_core as core
from unit import eq, true


def _vectors():
    with open('/fixtures/mac-vectors.txt') as f:
        for line in f:
            line = line.rstrip('\n')
            if line and not line.startswith('#'):
                what, key, msg, full = line.split('\t')
                yield what, binascii.unhexlify(key), binascii.unhexlify(msg), full


def test_full_hmac_matches_the_known_answers():
    count = 0
    for what, key, msg, full in _vectors():
        eq(binascii.hexlify(core.Hmac(key).digest(msg)).decode(), full, what)
        count += 1
    true(count >= 10, 'vectors read (%d)' % count)


def test_protocol_mac_is_the_first_eight_bytes_in_lower_hex():
    for what, key, msg, full in _vectors():
        h = core.Hmac(key)
        eq(h.sign(msg), full[:16].encode(), what)
        signed = msg + b' ' + full[:16].encode()
        true(h.verify(signed, len(msg), len(msg) + 1), 'verifies: ' + what)
        wrong = bytearray(signed)
        wrong[-1] = ord('0') if wrong[-1] != ord('0') else ord('1')
        true(not h.verify(wrong, len(msg), len(msg) + 1), 'rejects a changed MAC: ' + what)


def test_short_keys_are_refused():
    try:
        core.Hmac(b'short')
    except ValueError:
        return
    raise AssertionError('a 5-byte key was accepted')
