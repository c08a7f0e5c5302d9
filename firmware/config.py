# Concerto player configuration: edit, then copy to the board with the other files
# (docs/firmware.md: `mpremote cp config.py :` or Thonny's "Save as... MicroPython device").

# Wi-Fi network to join.
WIFI_SSID = 'concerto'
WIFI_PASSWORD = 'change-me'

# A static address makes the roster simple (the director sends to a fixed host:port):
# (address, netmask, gateway, DNS). None = ask the router (DHCP) and print the address at boot.
STATIC_IP = None  # e.g. ('192.168.4.11', '255.255.255.0', '192.168.4.1', '192.168.4.1')

# UDP port the director sends to (10001, as in 2017).
PORT = 10001

# The player's name, printed at boot (use the roster's name for this board).
PLAYER_NAME = 'tenor'

# PWM output: a passive buzzer or a small amplifier's input on this GPIO.
# ESP8266 (NodeMCU, Wemos D1 mini): GPIO 4 is D2. ESP32 DevKit: GPIO 25 or any output pin.
PWM_PIN = 4
# Frequencies the pin can make. None = the board's usual limits (ESP8266: 1..1000 Hz on many
# MicroPython builds; ESP32: 1..20000 Hz).
PWM_MIN_HZ = None
PWM_MAX_HZ = None
# A tone outside them: 'octave' (moved by whole octaves into range: the melody survives),
# 'clamp' (the nearest limit) or 'silence'.
PWM_OUT_OF_RANGE = 'octave'

# Status LED: GPIO and whether it lights on a low level (the ESP8266's built-in LED on GPIO 2
# does). None = no LED. ESP32 DevKit: often GPIO 2, active high.
LED_PIN = 2
LED_ACTIVE_LOW = True

# Timed protocol: a shared key file on the board (the same bytes as the director's --key-file,
# at least 16). None = no key (MACs are not checked). Copy it with `mpremote cp concerto.key :`.
KEY_FILE = None  # e.g. 'concerto.key'

# Only these source addresses may play (None = anyone on the network).
ALLOW = None  # e.g. ('192.168.4.1',)

# The plain integer has no lease: silence a tone after this many seconds without any datagram
# (a lost "0" no longer buzzes forever). 0 = off, as the 2017 firmware. Timed tones end by lease.
WATCHDOG_S = 30

# Hardware watchdog: reboot the board if the main loop hangs for this long (ms; the ESP8266
# uses its own fixed timeout of a few seconds).
HW_WATCHDOG_MS = 8000

# Join a director by discovery, once the director offers it (not used yet). None = wait to be
# addressed through the roster.
JOIN = None
