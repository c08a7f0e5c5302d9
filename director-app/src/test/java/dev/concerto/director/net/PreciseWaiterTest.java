package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour only (no timing assertions): deadlines are reached, wakes end waits and are remembered. */
class PreciseWaiterTest {

    @Test
    void returnsTrueOnceTheDeadlineHasPassed() {
        PreciseWaiter w = new PreciseWaiter(Clock.SYSTEM);
        long deadline = System.nanoTime() + 2_000_000;
        assertThat(w.awaitDeadline(deadline)).isTrue();
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(deadline);
        assertThat(w.awaitDeadline(System.nanoTime() - 1)).isTrue(); // a past deadline returns at once
    }

    @Test
    void aWakeEndsAWaitAndIsRememberedWhenNobodyWaits() throws Exception {
        PreciseWaiter w = new PreciseWaiter(Clock.SYSTEM);
        w.wake();
        assertThat(w.awaitDeadline(System.nanoTime() + 60_000_000_000L)).isFalse(); // consumed at once
        CompletableFuture<Boolean> far = CompletableFuture.supplyAsync(() -> w.awaitDeadline(System.nanoTime() + 60_000_000_000L));
        CompletableFuture<Void> idle = new CompletableFuture<>();
        while (!far.isDone()) {
            w.wake();
            Thread.sleep(5);
        }
        assertThat(far.get(10, TimeUnit.SECONDS)).isFalse();
        Thread t = new Thread(() -> {
            w.awaitWake();
            idle.complete(null);
        });
        t.start();
        while (!idle.isDone()) {
            w.wake();
            Thread.sleep(5);
        }
        idle.get(10, TimeUnit.SECONDS);
        t.join(10_000);
    }
}
