# The board shell (concerto_board.py) under MicroPython with stand-ins for the hardware modules it
# imports (machine, network, socket, select): Wi-Fi retries and power saving, sync replies from
# the socket, PWM frequency and duty, the out-of-range rule, dropped datagrams. The real boards'
# timing is not measurable here (docs/firmware.md).
import sys
import time
from unit import eq, true


class Stop(Exception):
    pass


class Log:
    calls = []


class Pin:
    OUT = 1

    def __init__(self, n, mode=None):
        self.n = n
        self.v = 0

    def value(self, v=None):
        if v is None:
            return self.v
        self.v = 1 if v else 0


class PWM:
    def __init__(self, pin):
        Log.calls.append(('pwm', pin.n))

    def freq(self, hz):
        Log.calls.append(('freq', hz))

    def duty_u16(self, d):
        Log.calls.append(('duty', d))


class WDT:
    def __init__(self, timeout=None):
        Log.calls.append(('wdt', timeout))

    def feed(self):
        pass


class Machine:
    Pin = Pin
    PWM = PWM
    WDT = WDT

    @staticmethod
    def reset():
        raise Stop('reset')


class WLAN:
    PM_NONE = 0
    failures = 1

    def __init__(self, which):
        self.up = False

    def active(self, on):
        pass

    def config(self, **kw):
        Log.calls.append(('wlan-config', kw))

    def connect(self, ssid, password):
        Log.calls.append(('connect', ssid))
        if WLAN.failures > 0:
            WLAN.failures -= 1
            raise OSError('no AP')
        self.up = True

    def disconnect(self):
        pass

    def isconnected(self):
        return self.up

    def ifconfig(self, cfg=None):
        return ('192.0.2.20', '255.255.255.0', '192.0.2.1', '192.0.2.1')


class Network:
    STA_IF = 0
    WLAN = WLAN


class Socket:
    script = []  # (datagram, (host, port))

    def __init__(self, *a):
        pass

    def bind(self, addr):
        Log.calls.append(('bind', addr))

    def recvfrom(self, n):
        data, addr = Socket.script.pop(0)
        return data[:n], addr

    def sendto(self, data, addr):
        Log.calls.append(('sendto', data, addr))


class SocketModule:
    AF_INET = 2
    SOCK_DGRAM = 2
    socket = Socket


class Poll:
    def register(self, s, mask):
        pass

    def poll(self, ms):
        if not Socket.script:
            raise Stop('script done')
        return [(None, 1)]


class Select:
    POLLIN = 1

    @staticmethod
    def poll():
        return Poll()


class Config:
    WIFI_SSID = 'test'
    WIFI_PASSWORD = 'pw'
    PORT = 10001
    PWM_PIN = 5
    PWM_MAX_HZ = 1000
    LED_PIN = 2
    LED_ACTIVE_LOW = True
    HW_WATCHDOG_MS = 8000
    WATCHDOG_S = 30


def _run(script):
    sys.modules['machine'] = Machine
    sys.modules['network'] = Network
    sys.modules['socket'] = SocketModule
    sys.modules['select'] = Select
    import concerto_board
    concerto_board.WIFI_ATTEMPT_S = 0.3  # a short join attempt for the test
    Log.calls = []
    Socket.script = list(script)
    try:
        concerto_board.run(Config)
    except Stop:
        pass
    return Log.calls


def test_board_shell_end_to_end_with_stand_ins():
    src = ('192.0.2.1', 5000)
    calls = _run([(b'S 7 123', src), (b'440', src), (b'hello', src), (b'1760', src), (b'0', src)])
    true(('wdt', 8000) in calls, 'hardware watchdog started')
    eq([c for c in calls if c[0] == 'connect'], [('connect', 'test'), ('connect', 'test')], 'a failed join is retried')
    true(('wlan-config', {'pm': 0}) in calls, 'Wi-Fi power saving off')
    true(('bind', ('0.0.0.0', 10001)) in calls, 'bound to the configured port')
    replies = [c for c in calls if c[0] == 'sendto']
    eq(len(replies), 1, 'one sync reply')
    fields = replies[0][1].split(b' ')
    eq(fields[0:3], [b'R', b'7', b'123'], 'sync reply echoes seq and t1')
    true(int(fields[4]) >= int(fields[3]), 't3 >= t2')
    eq(replies[0][2], src, 'answered to the sender')
    sound = [c for c in calls if c[0] in ('freq', 'duty')]
    eq(sound, [('duty', 0), ('freq', 440), ('duty', 32768), ('freq', 880), ('duty', 0)],
       'silent at boot, 440 Hz at 50 %, 1760 Hz an octave down on a 1 kHz pin, silence = duty 0')
