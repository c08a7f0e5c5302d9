package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The one address formatter, as the director and the player write addresses for people. */
class AddressTextTest {

    @Test
    void writesIpv4AsIsAndIpv6ShortInBrackets() throws Exception {
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 10001)))
                .isEqualTo("127.0.0.1:10001");
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.getByName("::1"), 10001))).isEqualTo("[::1]:10001");
        assertThat(AddressText.host(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("[2001:db8::1:0:0:1]");
        assertThat(AddressText.of(InetSocketAddress.createUnresolved("director.example", 10000)))
                .isEqualTo("director.example:10000");
    }

    @Test
    void writesAHostAsGivenWithBracketsOnlyForIpv6() {
        assertThat(AddressText.of("director.example", 10000)).isEqualTo("director.example:10000");
        assertThat(AddressText.of("192.0.2.7", 10001)).isEqualTo("192.0.2.7:10001");
        assertThat(AddressText.of("::1", 10001)).isEqualTo("[::1]:10001");
        assertThat(AddressText.of("[::1]", 10001)).as("not bracketed twice").isEqualTo("[::1]:10001");
    }
}
