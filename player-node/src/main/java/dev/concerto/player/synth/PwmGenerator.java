package dev.concerto.player.synth;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmType;
import dev.concerto.protocol.Clock;

/**
 * Hardware PWM through Pi4J 2.8: the tone's frequency at 50 % duty, 0 = PWM off, off again on
 * {@link #close()}. Frequencies are rounded to whole hertz (Pi4J's unit). The time base is a
 * nominal 48 kHz frame clock on the monotonic clock. Thread-safe (changes are serialized).
 */
public final class PwmGenerator extends ClockFrameGenerator {

    /** Duty cycle in percent: a square wave, like the original ESP8266 players. */
    public static final int DUTY_PERCENT = 50;
    /** The highest frequency driven, in hertz: the wire's limit (a buzzer's useful range ends well below). */
    public static final int MAX_HZ = dev.concerto.protocol.LegacyCodec.MAX_HZ;

    private final Context pi4j;
    private final boolean ownsContext;
    private final Pwm pwm;
    private final int gpio;
    private final String provider;
    private boolean closed;

    private PwmGenerator(Context pi4j, boolean ownsContext, Pwm pwm, int gpio, String provider, Clock clock) {
        super(clock);
        this.pi4j = pi4j;
        this.ownsContext = ownsContext;
        this.pwm = pwm;
        this.gpio = gpio;
        this.provider = provider;
    }

    /**
     * Opens hardware PWM on an existing Pi4J context (tests pass a mock context).
     *
     * @param address  the provider's address: the BCM GPIO number for pigpio and mock, the PWM
     *                 channel for linuxfs (see {@link #addressFor})
     * @param provider a Pi4J PWM provider id, e.g. {@code "pigpio-pwm"}, {@code "linuxfs-pwm"},
     *                 {@code "mock-pwm"}
     */
    public static PwmGenerator open(Context pi4j, int address, String provider, Clock clock) {
        return create(pi4j, false, address, address, provider, clock);
    }

    /**
     * Opens hardware PWM on the Raspberry Pi this runs on, with an auto-detected Pi4J context
     * that {@link #close()} shuts down.
     *
     * @param gpio     BCM GPIO number: 12, 13, 18 or 19 (hardware PWM pins)
     * @param provider {@code "linuxfs-pwm"} (needs {@code dtoverlay=pwm}; works on the Pi 5) or
     *                 {@code "pigpio-pwm"} (needs root; not on the Pi 5)
     * @throws AudioUnavailableException off a Pi, or when the provider cannot open the pin
     */
    public static PwmGenerator openOnPi(int gpio, String provider) throws AudioUnavailableException {
        Context ctx;
        try {
            ctx = Pi4J.newAutoContext();
        } catch (RuntimeException | LinkageError e) {
            throw new AudioUnavailableException("cannot start Pi4J: " + e.getMessage(), e);
        }
        try {
            return create(ctx, true, gpio, addressFor(provider, gpio), provider, Clock.SYSTEM);
        } catch (RuntimeException e) {
            try {
                ctx.shutdown();
            } catch (RuntimeException ignored) {
                // already failing; report the first problem
            }
            throw new AudioUnavailableException("cannot open hardware PWM on GPIO " + gpio + " with provider '"
                    + provider + "': " + String.valueOf(e.getMessage()).replaceAll("[.\\s]+$", "") + ". On a Raspberry Pi add 'dtoverlay=pwm' to"
                    + " /boot/firmware/config.txt (see docs/player.md); off a Pi use --synth javasound or virtual",
                    e);
        }
    }

    /**
     * The Pi4J address for a GPIO: linuxfs addresses sysfs PWM channels (GPIO 12/18 are channel 0,
     * 13/19 channel 1 with the {@code pwm}/{@code pwm-2chan} overlays); other providers take the
     * GPIO number.
     */
    public static int addressFor(String provider, int gpio) {
        if (provider != null && provider.startsWith("linuxfs")) {
            if (gpio == 12 || gpio == 18) {
                return 0;
            }
            if (gpio == 13 || gpio == 19) {
                return 1;
            }
            throw new IllegalArgumentException("GPIO " + gpio + " has no hardware PWM; use 12, 13, 18 or 19");
        }
        return gpio;
    }

    private static PwmGenerator create(Context ctx, boolean owns, int gpio, int address, String provider,
            Clock clock) {
        Pwm pwm = ctx.create(Pwm.newConfigBuilder(ctx)
                .id("concerto-pwm-" + gpio)
                .name("Concerto tone on GPIO " + gpio)
                .address(address)
                .pwmType(PwmType.HARDWARE)
                .provider(provider)
                .initial(0)
                .shutdown(0)
                .build());
        pwm.off();
        return new PwmGenerator(ctx, owns, pwm, gpio, provider, clock);
    }

    @Override
    protected synchronized void apply(double hz) {
        if (closed) {
            return;
        }
        if (hz == 0) {
            pwm.off();
        } else {
            pwm.on(DUTY_PERCENT, (int) Math.round(hz));
        }
    }

    @Override
    public double maxHz() {
        return MAX_HZ;
    }

    /** The Pi4J PWM instance (for diagnostics and tests). */
    public Pwm pwm() {
        return pwm;
    }

    @Override
    public String description() {
        return "pi4j hardware PWM on GPIO " + gpio + " (" + provider + "), " + DUTY_PERCENT + " % duty";
    }

    @Override
    public void close() {
        stopScheduler(); // outside the lock: the scheduler thread may be waiting for it
        synchronized (this) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pwm.off();
        } finally {
            if (ownsContext) {
                pi4j.shutdown();
            }
        }
    }
}
