package dev.concerto.netem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/**
 * Real UDP on loopback. On loopback a datagram is in the receiving socket when the send returns, so
 * its kernel arrival is before that; the test reads it 50 ms later. Nothing depends on the machine
 * being quiet: a busy machine only makes the read later still.
 */
class KernelArrivalTest {

    @Test
    void theArrivalIsTheKernelsNotTheRead() throws Exception {
        assertThat(KernelArrival.kernel()).as(KernelArrival.describe()).isTrue(); // Linux, with the surefire argLine's opens
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
             DatagramChannel sender = DatagramChannel.open()) {
            KernelArrival.enable(receiver);
            long beforeSend = System.nanoTime();
            sender.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), receiver.getLocalAddress());
            long afterSend = System.nanoTime();
            Thread.sleep(50);
            ByteBuffer buf = ByteBuffer.allocate(16);
            receiver.receive(buf);
            long read = System.nanoTime();

            long arrival = KernelArrival.arrivalNanos(receiver, read);

            assertThat(arrival).isLessThanOrEqualTo(afterSend + 1_000_000); // 1 ms: the clocks' conversion
            assertThat(arrival).isGreaterThanOrEqualTo(beforeSend - 1_000_000);
            assertThat(read - arrival).isGreaterThanOrEqualTo(49_000_000L);
        }
    }

    @Test
    void withoutAStampTheReadTimeIsKept() throws Exception {
        try (DatagramChannel never = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            long read = System.nanoTime();
            assertThat(KernelArrival.arrivalNanos(never, read)).isEqualTo(read); // nothing received: no stamp (ENOENT)
        }
    }
}
