# Concerto player board shell for MicroPython on ESP8266 and ESP32: the thin part that owns the
# hardware. It joins Wi-Fi (power saving off), shows its state on the LED, runs the hardware
# watchdog, owns the UDP socket and the PWM pin, reads the clock, and feeds concerto_core (the pure
# player rules) with every datagram and its receive time. All protocol decisions are the core's.
#
# LED: fast blinking = joining Wi-Fi; on = ready; a short blink = a datagram was dropped.
import sys
import time

import machine
import network
import select
import socket

import concerto_core as core

SPIN_US = 2000  # wake this long before a change, then wait in a tight loop on the ticks
IDLE_POLL_MS = 1000  # read the clock and feed the watchdog at least this often
WIFI_ATTEMPT_S = 15
RECEIVE_BYTES = core.TIMED_MAX_BYTES + 1  # one more than any valid datagram: too long is seen as such
REJECTION_LOG_MS = 10000


_state = {}  # the running player's Tone, so a crash can silence it


def _cfg(config, name, default):
    return getattr(config, name, default)


class Led:
    """The status LED (or nothing)."""

    def __init__(self, pin, active_low):
        self._pin = machine.Pin(pin, machine.Pin.OUT) if pin is not None else None
        self._low = active_low
        self.set(False)

    def set(self, on):
        if self._pin is not None:
            self._pin.value((not on) if self._low else on)

    def toggle(self):
        if self._pin is not None:
            self._pin.value(not self._pin.value())


class Tone:
    """The PWM pin: a frequency at 50 % duty, duty 0 for silence. Frequencies outside the pin's
    range follow the configured rule (core.pwm_hz), never an exception."""

    def __init__(self, pin, low_hz, high_hz, rule):
        self._pwm = machine.PWM(machine.Pin(pin))
        self._low = low_hz
        self._high = high_hz
        self._rule = rule
        self._u16 = hasattr(self._pwm, 'duty_u16')
        self.hz = 0
        self._duty(0)

    def _duty(self, half):
        if self._u16:
            self._pwm.duty_u16(32768 if half else 0)
        else:
            self._pwm.duty(512 if half else 0)  # older ESP8266 builds: 0..1023

    def play(self, mhz):
        hz = core.pwm_hz(mhz, self._low, self._high, self._rule)
        if hz == self.hz:
            return
        if hz == 0:
            self._duty(0)
        else:
            self._pwm.freq(hz)
            if self.hz == 0:
                self._duty(1)
        self.hz = hz


class Watchdog:
    """The hardware watchdog: a hung loop reboots the board."""

    def __init__(self, timeout_ms):
        self._wdt = None
        if timeout_ms:
            try:
                self._wdt = machine.WDT(timeout=timeout_ms)
            except (TypeError, ValueError):
                self._wdt = machine.WDT()  # the ESP8266's fixed timeout

    def feed(self):
        if self._wdt is not None:
            self._wdt.feed()


def power_saving_off(sta):
    """Wi-Fi power saving delays received datagrams by up to 100 ms: turn it off. Returns how."""
    try:
        sta.config(pm=sta.PM_NONE)  # ESP32 and newer ports
        return 'WLAN.PM_NONE'
    except (AttributeError, ValueError, TypeError, OSError):
        pass
    try:
        import esp
        esp.sleep_type(esp.SLEEP_NONE)  # ESP8266
        return 'esp.SLEEP_NONE'
    except (ImportError, AttributeError):
        return None


def join_wifi(config, led, wdt):
    """Joins the configured network, retrying forever (with the LED blinking); the address."""
    sta = network.WLAN(network.STA_IF)
    sta.active(True)
    how = power_saving_off(sta)
    print('concerto: Wi-Fi power saving off:', how or 'not available on this port')
    static = _cfg(config, 'STATIC_IP', None)
    if static:
        sta.ifconfig(static)
    attempt = 0
    while not sta.isconnected():
        attempt += 1
        print('concerto: joining Wi-Fi', repr(config.WIFI_SSID), 'attempt', attempt)
        try:
            sta.connect(config.WIFI_SSID, config.WIFI_PASSWORD)
        except OSError as e:
            print('concerto: Wi-Fi connect failed:', e)
        start = time.ticks_ms()
        while not sta.isconnected() and time.ticks_diff(time.ticks_ms(), start) < WIFI_ATTEMPT_S * 1000:
            led.toggle()
            wdt.feed()
            time.sleep_ms(100)
        if not sta.isconnected():
            sta.disconnect()
            for _ in range(min(attempt, 10) * 5):  # back off: 0.5 s more per failed attempt, up to 5 s
                led.toggle()
                wdt.feed()
                time.sleep_ms(100)
    led.set(True)
    return sta


def _read_key(path):
    if not path:
        return None
    with open(path, 'rb') as f:
        key = f.read()
    if len(key) < 16:
        raise ValueError('key file %s holds %d bytes; a shared key needs at least 16' % (path, len(key)))
    return key


def _random_signer():
    """This player's signer for its signed replies: 32 random bits per start, as 8 hex digits."""
    try:
        import binascii
        import os
        return binascii.hexlify(os.urandom(4))  # the ESP's hardware random number generator
    except (ImportError, AttributeError):
        import random
        return b'%08x' % random.getrandbits(32)


def _limits(config):
    esp8266 = sys.platform == 'esp8266'
    low = _cfg(config, 'PWM_MIN_HZ', None) or 1
    high = _cfg(config, 'PWM_MAX_HZ', None) or (1000 if esp8266 else 20000)
    return low, high


def run(config=None):
    """Runs the player until the board resets."""
    if config is None:
        import config
    wdt = Watchdog(_cfg(config, 'HW_WATCHDOG_MS', 8000))
    led = Led(_cfg(config, 'LED_PIN', None), _cfg(config, 'LED_ACTIVE_LOW', False))
    low, high = _limits(config)
    tone = Tone(_cfg(config, 'PWM_PIN', 4), low, high, _cfg(config, 'PWM_OUT_OF_RANGE', 'octave'))
    _state['tone'] = tone
    player = core.Player(key=_read_key(_cfg(config, 'KEY_FILE', None)), signer=_random_signer(),
                         watchdog_us=int(_cfg(config, 'WATCHDOG_S', 30) * 1000000),
                         allow=_cfg(config, 'ALLOW', None),
                         max_sources=4 if sys.platform == 'esp8266' else core.MAX_SOURCES)
    clock = core.TicksClock(time.ticks_diff, time.ticks_us())
    sta = join_wifi(config, led, wdt)
    port = _cfg(config, 'PORT', 10001)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('0.0.0.0', port))
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    print('concerto: player %s on %s:%d, PWM pin %s (%d..%d Hz), protocols %s'
          % (_cfg(config, 'PLAYER_NAME', 'player'), sta.ifconfig()[0], port, _cfg(config, 'PWM_PIN', 4),
             low, high, core.VERSIONS.decode()))
    last_log = {}
    wifi_check = time.ticks_ms()
    while True:
        wdt.feed()
        now = clock.at(time.ticks_us())
        tone.play(player.sound(now))
        nxt = player.next_change(now)
        wait_ms = IDLE_POLL_MS
        if nxt >= 0:
            wait_ms = min(wait_ms, max(0, (nxt - now - SPIN_US) // 1000))
        if poller.poll(wait_ms):
            data, addr = sock.recvfrom(RECEIVE_BYTES)
            ticks = time.ticks_us()  # t2: right after the receive, before decoding
            rx = clock.at(ticks)
            tone.play(player.sound(rx))  # what fell due first
            code = player.receive(data, len(data), addr, rx)
            if code == core.SYNC:
                sock.sendto(player.reply(clock.at(time.ticks_us())), addr)  # t3: just before sending
            elif code >= core.REJECT:
                led.toggle()
                t = time.ticks_ms()
                if time.ticks_diff(t, last_log.get(code, time.ticks_add(t, -REJECTION_LOG_MS))) >= REJECTION_LOG_MS:
                    last_log[code] = t
                    print('concerto: dropped a datagram from %s: %s (counted; next report in 10 s)'
                          % (addr[0], core.reason_key(code)))
                led.set(True)
        elif nxt >= 0:
            target = clock.ticks_of(nxt, time.ticks_add)
            while time.ticks_diff(target, time.ticks_us()) > 0:
                pass  # the last two milliseconds: a tight loop is more exact than a timer
        if time.ticks_diff(time.ticks_ms(), wifi_check) > 2000:
            wifi_check = time.ticks_ms()
            if not sta.isconnected():
                print('concerto: Wi-Fi lost; silent until it is back')
                player.silence()
                tone.play(0)
                led.set(False)
                sta = join_wifi(config, led, wdt)


def main():
    """Entry point from main.py: a crash silences, says why and reboots rather than hanging."""
    try:
        run()
    except KeyboardInterrupt:
        print('concerto: stopped (Ctrl-C); the REPL is yours')
        raise
    except Exception as e:  # noqa: BLE001 - anything left is a bug or a bad config: reboot
        sys.print_exception(e)
        try:
            _state['tone'].play(0)
        except Exception:  # noqa: BLE001 - the PWM itself may be what failed
            pass
        time.sleep(5)
        machine.reset()
