package dev.concerto.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The player's Debian package: its metadata and contents (dpkg-deb), then, as root, installed with
 * dpkg -i, the installed concerto-player started on loopback from a config file and answering a
 * clock sync, and purged without leftovers. Skipped with a message where dpkg or root is missing.
 */
class DebPackageIT {

    private static Path deb() throws Exception {
        try (Stream<Path> s = Files.list(Dist.DIR)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("concerto-player_.*_all\\.deb")).toList();
            assertThat(debs).as("one .deb in " + Dist.DIR).hasSize(1);
            return debs.get(0);
        }
    }

    @Test
    void metadataAndContents() throws Exception {
        assumeTrue(Dist.onPath("dpkg-deb"), "skipped: dpkg-deb is not installed (Debian package dpkg)");
        Path deb = deb();
        Dist.Result info = Dist.run(List.of("dpkg-deb", "--info", deb.toString()));
        assertThat(info.exitCode()).as(info.output()).isZero();
        assertThat(info.output()).contains("Package: concerto-player").contains("Architecture: all")
                .contains("Depends: default-jre-headless (>= 2:1.17) | openjdk-17-jre-headless")
                .contains("Section: sound").contains("postinst").contains("conffiles");
        Dist.Result contents = Dist.run(List.of("dpkg-deb", "--contents", deb.toString()));
        assertThat(contents.exitCode()).isZero();
        assertThat(contents.output()).contains("./usr/share/concerto-player/concerto-player.jar")
                .contains("./usr/bin/concerto-player").contains("./lib/systemd/system/concerto-player.service")
                .contains("./etc/concerto/player.conf").contains("./usr/share/doc/concerto-player/player.md");
        assertThat(contents.output()).containsPattern("-rwxr-xr-x .* \\./usr/bin/concerto-player");
        Dist.Result conffiles = Dist.run(List.of("dpkg-deb", "--info", deb.toString(), "conffiles"));
        assertThat(conffiles.output().strip()).isEqualTo("/etc/concerto/player.conf");
        assertThat(contents.output()).doesNotContain("multi-user.target.wants").as("installed disabled");
    }

    @Test
    void theConfigFileNamesOnlyRealOptions() throws Exception {
        Path conf = Path.of("src/deb/player.conf");
        Path jar = Dist.DIR.resolve("concerto-player-" + Dist.VERSION + ".jar");
        Dist.Result help = Dist.run(List.of(Dist.java(), "-jar", jar.toString(), "--help"));
        assertThat(help.exitCode()).isZero();
        Pattern key = Pattern.compile("^#?([a-z][a-z-]*)=");
        int keys = 0;
        for (String line : Files.readAllLines(conf)) {
            Matcher m = key.matcher(line);
            if (m.find()) {
                keys++;
                assertThat(help.output()).as("player.conf key '" + m.group(1) + "'").contains("--" + m.group(1) + "=");
            }
        }
        assertThat(keys).isGreaterThanOrEqualTo(8);
    }

    @Test
    void installsRunsFromItsConfigAnswersASyncAndPurges() throws Exception {
        assumeTrue(Dist.onPath("dpkg"), "skipped: dpkg is not installed: the install test runs on Debian/Ubuntu");
        assumeTrue(Dist.root(), "skipped: installing the .deb needs root (CI runs as root)");
        Path deb = deb();
        Dist.Result install = Dist.run(List.of("dpkg", "-i", deb.toString()));
        assertThat(install.exitCode()).as("dpkg -i (the Java 17 runtime package must be installed): " + install.output()).isZero();
        Process player = null;
        Path conf = Files.createTempFile("player", ".conf");
        try {
            assertThat(Path.of("/usr/bin/concerto-player")).isExecutable();
            assertThat(Path.of("/etc/concerto/player.conf")).exists();
            assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/concerto-player.service"))
                    .as("the unit stays disabled").doesNotExist();
            // The unit's way: every option from the config file the unit names.
            Files.writeString(conf, "bind=127.0.0.1:0\nname=deb-test\nsynth=null\nmdns=off\nwatchdog=0\n");
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/concerto-player").redirectErrorStream(true);
            pb.environment().put("CONCERTO_PLAYER_CONF", conf.toString());
            player = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(player.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the start line").isNotNull().contains("player 'deb-test' listening on udp 127.0.0.1:");
            Matcher m = Pattern.compile("listening on udp (\\S+):(\\d+) ").matcher(line);
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(2));
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                s.setSoTimeout(2_000);
                byte[] sync = "S 7 1000".getBytes(StandardCharsets.US_ASCII);
                String reply = null;
                for (int attempt = 0; attempt < 10 && reply == null; attempt++) {
                    s.send(new DatagramPacket(sync, sync.length, InetAddress.getLoopbackAddress(), port));
                    DatagramPacket p = new DatagramPacket(new byte[256], 256);
                    try {
                        s.receive(p);
                        reply = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                    } catch (java.net.SocketTimeoutException e) {
                        // asked again
                    }
                }
                assertThat(reply).as("the installed player's sync reply").startsWith("R 7 1000 ").contains("timed/1");
            }
            player.destroy();
            assertThat(player.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(player.exitValue()).isZero();
        } finally {
            if (player != null) {
                player.destroyForcibly();
            }
            Files.deleteIfExists(conf);
            Dist.Result purge = Dist.run(List.of("dpkg", "--purge", "concerto-player"));
            assertThat(purge.exitCode()).as(purge.output()).isZero();
        }
        List<String> left = new ArrayList<>();
        for (String p : List.of("/usr/bin/concerto-player", "/usr/share/concerto-player", "/etc/concerto",
                "/lib/systemd/system/concerto-player.service")) {
            if (Files.exists(Path.of(p))) {
                left.add(p);
            }
        }
        assertThat(left).as("left after purge").isEmpty();
        assertThat(Dist.run(List.of("dpkg", "-s", "concerto-player")).exitCode()).isNotZero();
    }
}
