package dev.concerto.player;

import java.io.IOException;

/**
 * A player could not bind its address: the port is in use, the address is not one of this
 * machine's, or it does not resolve. The message names the address and says what to do.
 */
public class PlayerBindException extends IOException {
    private static final long serialVersionUID = 1L;

    public PlayerBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
