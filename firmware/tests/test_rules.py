# The player rules of PROTOCOL.md ("Checks", "Reordering window", "Sources", "No news, no sound")
# on the firmware core, in memory, with times chosen by the test.
import concerto_core as core
from unit import eq, true

A = ('127.0.0.1', 5000)
B = ('127.0.0.1', 5001)


def send(p, text, now, src=A):
    data = text.encode()
    return p.receive(data, len(data), src, now)


def test_a_tone_is_scheduled_and_ends_with_its_lease():
    p = core.Player()
    eq(send(p, 'T 1 1000000 440 100', 900000), core.OK, 'scheduled')
    eq(p.sound(999999), 0, 'before its time')
    eq(p.next_change(900000), 1000000, 'wakes at its start')
    eq(p.sound(1000000), 440000, 'at its time')
    eq(p.next_change(1000000), 1100000, 'wakes at its lease end')
    eq(p.sound(1100000), 0, 'silent after its lease')
    eq(p.next_change(1100000), -1, 'nothing more to do')


def test_a_resent_note_extends_the_tone():
    p = core.Player()
    send(p, 'T 1 1000000 440 100', 900000)
    send(p, 'T 2 1050000 440 200', 950000)
    eq(p.sound(1200000), 440000, 'still sounding at 1.2 s')
    eq(p.sound(1250000), 0, 'ends at 1.25 s')


def test_a_later_message_replaces_the_tone_from_its_own_start():
    p = core.Player()
    send(p, 'T 1 1000000 440 1000', 900000)
    send(p, 'T 2 1500000 330 1000', 900000)
    eq(p.sound(1400000), 440000, '440 first')
    eq(p.sound(1500000), 330000, '330 from 1.5 s')


def test_duplicate():
    p = core.Player()
    eq(send(p, 'T 1 1000000 440 100', 900000), core.OK, 'first copy')
    eq(send(p, 'T 1 1000000 440 100', 900001), core.DUPLICATE, 'second copy')
    eq(p.counts[core.DUPLICATE], 1, 'counted')


def test_stale_when_older_than_what_sounds():
    p = core.Player()
    send(p, 'T 5 1000000 440 1000', 900000)
    eq(p.sound(1100000), 440000, 'sounding')
    eq(send(p, 'T 4 1200000 330 1000', 1100000), core.STALE, 'older than the sounding one')


def test_stale_when_a_newer_message_starts_no_later():
    p = core.Player()
    send(p, 'T 5 1100000 440 100', 900000)
    eq(send(p, 'T 3 1200000 330 100', 950000), core.STALE, 'would never sound')


def test_reordering_window():
    p = core.Player()
    eq(send(p, 'T 5 1100000 440 100', 900000), core.OK, 'newer first')
    eq(send(p, 'T 3 1050000 330 100', 950000), core.OK, 'older, earlier: still sounds')
    eq(p.sound(1050000), 330000, '330 from 1.05 s')
    eq(p.sound(1100000), 440000, '440 from 1.1 s')


def test_expired():
    p = core.Player()
    eq(send(p, 'T 1 1000000 440 100', 1100000), core.EXPIRED, 'lease over on arrival')
    eq(p.sound(1100000), 0, 'nothing sounds')


def test_late_is_played_at_once_until_its_lease_end():
    p = core.Player()
    eq(send(p, 'T 1 1000000 440 100', 1050000), core.LATE, 'late')
    eq(p.sound(1050000), 440000, 'at once')
    eq(p.sound(1100000), 0, 'ends at at + lease')


def test_silence_now_overrides_changes_sent_ahead():
    p = core.Player()
    send(p, 'T 1 1000000 440 1000', 900000)
    send(p, 'T 2 1500000 330 1000', 900000)
    eq(send(p, 'T 3 1100000 0 2000', 1200000), core.LATE, 'silence, late')
    eq(p.sound(1200000), 0, 'silent now')
    eq(p.sound(1600000), 0, 'the change sent ahead cannot sound: an older number')


def test_another_source_takes_over():
    p = core.Player()
    send(p, 'T 100 1000000 440 1000', 900000, A)
    send(p, 'T 101 1500000 330 1000', 900000, A)
    eq(send(p, 'T 1 1200000 262 1000', 1050000, B), core.OK, 'a restarted director')
    eq(p.pending(), 1, "A's future change withdrawn")
    eq(p.sound(1100000), 440000, "A's tone until B's start")
    eq(p.sound(1200000), 262000, "B's tone")
    eq(p.sound(1600000), 262000, "A's 330 never sounds")


def test_plain_integer_takes_over():
    p = core.Player()
    send(p, 'T 1 1000000 440 1000', 900000)
    eq(send(p, '262', 950000), core.OK, 'plain integer')
    eq(p.sound(950000), 262000, 'at once')
    eq(p.pending(), 0, 'timed change withdrawn')
    eq(p.sound(1500000), 262000, 'held: no lease')
    eq(send(p, '0', 1600000), core.OK, 'stop')
    eq(p.sound(1600000), 0, 'silent')


def test_plain_integer_exactly_as_2017():
    p = core.Player()
    for text, hz in (('440', 440), ('440\n', 440), (' +0440 ', 440), ('0', 0), ('20000', 20000)):
        eq(send(p, text, 1000), core.OK, repr(text))
        eq(p.sound(1000), hz * 1000, repr(text))
    for text, reason in (('-440', core.NEGATIVE), ('20001', core.OUT_OF_RANGE), ('44 0', core.NOT_A_NUMBER),
                         ('12345678901', core.TOO_LONG), ('', core.EMPTY), ('4_40', core.NOT_A_NUMBER)):
        eq(send(p, text, 1000), reason, repr(text))
        eq(p.sound(1000), 20000000, 'the tone is unchanged by %r' % text)


def test_sync_is_answered_with_t2_at_receipt_and_t3_before_sending():
    p = core.Player()
    eq(send(p, 'S 9 123', 5000000), core.SYNC, 'sync')
    eq(p.reply(5000042), b'R 9 123 5000000 5000042 legacy,timed/1', 'reply')
    eq(send(p, 'R 9 123 1 2 legacy,timed/1', 5000100), core.BAD_SYNTAX, 'a reply sent to a player')


def test_a_sync_does_not_extend_a_lease():
    p = core.Player()
    send(p, 'T 1 1000000 440 100', 900000)
    send(p, 'S 2 1', 1050000)
    eq(p.sound(1100000), 0, 'ends at its lease')


def test_at_most_64_future_messages_the_oldest_forgotten():
    p = core.Player()
    for i in range(70):
        eq(send(p, 'T %d %d 440 100' % (i + 1, 2000000 + i * 1000), 1000000), core.OK, 'message %d' % i)
    eq(p.pending(), core.MAX_FUTURE, 'bounded')
    eq(p.sound(2000000), 0, 'the oldest were forgotten')
    eq(p.sound(2006000), 440000, 'the seventh is held')


def test_at_most_16_sources_remembered():
    p = core.Player()
    for port in range(20):
        send(p, 'T 1 %d 440 100' % (2000000 + port), 1000000, ('127.0.0.1', port))
    eq(len(p._sources), core.MAX_SOURCES, 'bounded')
    # The first source was forgotten: its number 1 is new again.
    eq(send(p, 'T 1 3000000 440 100', 1000000, ('127.0.0.1', 0)), core.OK, 'forgotten source')


def test_sequence_numbers_wrap_around():
    p = core.Player()
    eq(send(p, 'T 4294967295 1000000 440 1000', 900000), core.OK, 'the last number')
    eq(p.sound(1000000), 440000, 'sounding')
    eq(send(p, 'T 0 1100000 330 1000', 1050000), core.OK, '0 comes after 4294967295')
    eq(p.sound(1100000), 330000, 'replaces it')


def test_watchdog_silences_and_withdraws_when_nothing_arrives():
    p = core.Player(watchdog_us=2000000)
    send(p, '440', 1000000)
    send(p, 'T 1 2500000 330 600000', 1000000)
    eq(p.next_change(1000000), 2500000, 'the timed start first')
    eq(p.sound(2500000), 330000, 'timed tone, long lease')
    eq(p.next_change(2500000), 3000000, 'wakes for the watchdog')
    eq(p.sound(3000000), 0, 'silenced 2 s after the last news')
    eq(p.watchdog_silences, 1, 'counted')
    eq(p.pending(), 0, 'nothing scheduled')


def test_watchdog_off_by_default():
    p = core.Player()
    send(p, '440', 1000000)
    eq(p.sound(1000000000), 440000, 'the plain integer holds, as in 2017')


def test_allow_list():
    p = core.Player(allow=('10.0.0.1',))
    eq(send(p, '440', 1000, ('127.0.0.1', 9)), core.NOT_ALLOWED, 'stranger')
    eq(send(p, '440', 1000, ('10.0.0.1', 9)), core.OK, 'allowed')


def test_every_outcome_is_counted():
    p = core.Player()
    send(p, 'T 1 1000000 440 100', 900000)
    send(p, 'T 1 1000000 440 100', 900000)
    send(p, 'xyz', 900000)
    eq(p.counts[core.OK], 1, 'ok')
    eq(p.counts[core.DUPLICATE], 1, 'duplicate')
    eq(p.counts[core.NOT_A_NUMBER], 1, 'not-a-number')
    eq(core.reason_key(core.DUPLICATE), 'duplicate', 'key')


def test_serial_arithmetic_on_halves():
    def after(a, b):
        return core.seq_after(a >> 16, a & 0xFFFF, b >> 16, b & 0xFFFF)
    eq(after(2, 1), True, '2 after 1')
    eq(after(1, 2), False, '1 not after 2')
    eq(after(5, 5), False, 'not after itself')
    eq(after(0, 0xFFFFFFFF), True, 'wraps')
    eq(after(0x7FFFFFFF, 0), True, 'just under half')
    eq(after(0x80000000, 0), False, 'half: not after')
    eq(after(0x80000001, 0), False, 'more than half: before')
    eq(after(0x10000, 0xFFFF), True, 'borrow between halves')


KEY = b'concerto-test-key-0123456789'


def signed(text, signer=b'0badc0de'):
    body = text.encode() + b' ' + signer
    return body + b' ' + core.Hmac(KEY).sign(body)


def send_signed(p, text, now, src=A, signer=b'0badc0de'):
    data = signed(text, signer)
    return p.receive(data, len(data), src, now)


def test_a_lease_longer_than_the_cap_is_cut():
    p = core.Player()
    eq(send(p, 'T 1 1000000 440 600000', 900000), core.OK, 'accepted')
    eq(p.leases_clamped, 1, 'counted')
    eq(p.sound(10999999), 440000, 'sounds for 10 s')
    eq(p.sound(11000000), 0, 'not for 600 s')


def test_too_early():
    p = core.Player()
    eq(send(p, 'T 1 20000001 440 100', 10000000), core.TOO_EARLY, 'more than 10 s ahead')
    eq(send(p, 'T 2 20000000 440 100', 10000000), core.OK, '10 s ahead')


def test_too_old_only_with_a_key():
    p = core.Player(key=KEY)
    eq(send_signed(p, 'T 1 1000000 440 5000', 3000001), core.TOO_OLD, 'signed, 2 s late')
    eq(send_signed(p, 'T 2 1000000 440 5000', 3000000), core.LATE, 'signed, just fresh')
    q = core.Player()
    eq(send(q, 'T 1 1000000 440 5000', 3000001), core.LATE, 'unkeyed: no freshness rule')


def test_with_a_key_the_signer_is_the_source_not_the_address():
    p = core.Player(key=KEY)
    eq(send_signed(p, 'T 5 1000000 440 1000', 900000, A), core.OK, 'from A')
    eq(send_signed(p, 'T 5 1000000 440 1000', 900000, B), core.DUPLICATE, 'the same message replayed from B')


def test_a_retired_signer_cannot_come_back():
    p = core.Player(key=KEY)
    eq(send_signed(p, 'T 100 1000000 440 1000', 900000, signer=b'00000001'), core.OK, 'first director')
    eq(send_signed(p, 'T 1 1100000 330 1000', 950000, signer=b'00000002'), core.OK, 'a restarted director')
    eq(send_signed(p, 'T 101 1200000 262 1000', 960000, signer=b'00000001'), core.STALE, 'the first is retired')
