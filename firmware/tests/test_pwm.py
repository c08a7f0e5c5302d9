# The PWM frequency rule for pins with a limited range (the ESP8266's 1 Hz..1 kHz on many builds).
import concerto_core as core
from unit import eq


def test_in_range_rounds_to_whole_hertz():
    eq(core.pwm_hz(261626, 1, 1000, 'octave'), 262, 'C4')
    eq(core.pwm_hz(440000, 1, 1000, 'octave'), 440, 'A4')
    eq(core.pwm_hz(0, 1, 1000, 'octave'), 0, 'silence')


def test_octave_rule_transposes_into_range():
    eq(core.pwm_hz(1760000, 1, 1000, 'octave'), 880, 'A6 one octave down')
    eq(core.pwm_hz(7040000, 1, 1000, 'octave'), 880, 'A8 three octaves down')
    eq(core.pwm_hz(20000000, 1, 1000, 'octave'), 625, 'the top of the protocol')
    eq(core.pwm_hz(1000, 100, 1000, 'octave'), 128, 'up into a raised floor')


def test_clamp_and_silence_rules():
    eq(core.pwm_hz(1760000, 1, 1000, 'clamp'), 1000, 'clamped')
    eq(core.pwm_hz(1760000, 1, 1000, 'silence'), 0, 'silenced')


def test_every_protocol_frequency_maps_into_range():
    for rule in ('octave', 'clamp'):
        for mhz in range(1000, 20000001, 9973):
            hz = core.pwm_hz(mhz, 1, 1000, rule)
            if not 1 <= hz <= 1000:
                raise AssertionError('%s: %d mHz -> %d Hz' % (rule, mhz, hz))
