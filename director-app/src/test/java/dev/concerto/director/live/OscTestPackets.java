package dev.concerto.director.live;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCSerializeException;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import com.illposed.osc.argument.OSCTimeTag64;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** OSC packets built and serialised with JavaOSC, for tests. */
final class OscTestPackets {

    private OscTestPackets() {
    }

    static OSCMessage message(String address, Object... args) {
        return new OSCMessage(address, Arrays.asList(args));
    }

    static OSCBundle bundle(OSCTimeTag64 tag, OSCPacket... packets) {
        return new OSCBundle(List.of(packets), tag);
    }

    /** The time tag of a wall-clock time in µs since 1970. */
    static OSCTimeTag64 tagAtEpochMicros(long micros) {
        return NtpTime.tag(micros);
    }

    static byte[] bytes(OSCPacket packet) {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        try {
            new OSCSerializerAndParserBuilder().buildSerializer(new BufferBytesReceiver(buffer)).write(packet);
        } catch (OSCSerializeException e) {
            throw new AssertionError(e);
        }
        buffer.flip();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
