package dev.concerto.player.synth;

/** No audio line (or PWM pin) could be opened; the message says what is missing and what to do. */
public class AudioUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public AudioUnavailableException(String message) {
        super(message);
    }

    public AudioUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
