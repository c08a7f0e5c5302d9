# The shared player conformance fixture (shared-protocol/src/test/resources/conformance): the
# firmware core must give the same outcomes and the same tone changes as the Java player, which
# runs the same file (PlayerConformanceTest).
import json
import concerto_core as core
from unit import eq, true

SOURCES = {'a': ('127.0.0.1', 40001), 'b': ('127.0.0.1', 40002)}
_OUTCOMES = {core.OK: 'ok', core.LATE: 'late', core.SYNC: 'sync'}


def _cases():
    cases = []
    with open('/fixtures/player-conformance.jsonl') as f:
        for line in f:
            d = json.loads(line)
            if 'case' not in d:
                continue
            if not cases or cases[-1][0] != d['case']:
                cases.append((d['case'], []))
            cases[-1][1].append(d)
    return cases


def _hz(mhz):
    return mhz // 1000 if mhz % 1000 == 0 else mhz / 1000


class _Listener:
    """Steps the core through time as a shell would and records every change of the sound."""

    def __init__(self, player):
        self.p = player
        self.t = 0
        self.mhz = 0

    def run_until(self, limit, out):
        """Applies every change due before limit (all of them when limit is None)."""
        t = self.p.next_change(self.t)
        while t >= 0 and (limit is None or t < limit):
            self._at(t, out)
            t = self.p.next_change(t)

    def _at(self, t, out):
        m = self.p.sound(t)
        self.t = t
        if m != self.mhz:
            self.mhz = m
            out.append([t, _hz(m)])

    def now(self, t, out):
        self._at(t, out)


def test_player_conformance_fixture():
    cases = _cases()
    true(len(cases) >= 15, 'cases read: %d' % len(cases))
    for name, lines in cases:
        p = core.Player()
        listener = _Listener(p)
        changes = [[] for _ in lines]
        for i, d in enumerate(lines):
            rx = d['rx_us']
            listener.run_until(rx, changes[i - 1] if i > 0 else changes[0])
            data = d['datagram'].encode()
            code = p.receive(data, len(data), SOURCES[d['src']], rx)
            outcome = _OUTCOMES.get(code) or core.reason_key(code)
            eq(outcome, d['outcome'], '%s #%d outcome' % (name, i))
            if code == core.SYNC:
                eq(p.reply(rx).decode(), d['reply'], '%s #%d reply' % (name, i))
            listener.now(rx, changes[i])
        listener.run_until(None, changes[-1])
        for i, d in enumerate(lines):
            eq(changes[i], d['changes'], '%s #%d changes' % (name, i))
