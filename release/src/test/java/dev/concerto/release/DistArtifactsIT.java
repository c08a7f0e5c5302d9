package dev.concerto.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What `./mvnw package` left in dist/: sizes, contents, natives per platform, checksums. */
class DistArtifactsIT {

    private static Path jar(String name) {
        Path p = Dist.DIR.resolve(name);
        assertThat(p).as("built by the release module").exists();
        return p;
    }

    @Test
    void thePlayerJarIsSmallAndHasNoJavaFx() throws IOException {
        Path p = jar("concerto-player-" + Dist.VERSION + ".jar");
        assertThat(Files.size(p)).as("player jar bytes").isLessThanOrEqualTo(10L * 1024 * 1024);
        try (JarFile j = new JarFile(p.toFile())) {
            assertThat(j.stream().map(e -> e.getName()).filter(n -> n.startsWith("javafx/") || n.startsWith("com/sun/glass/")
                    || n.startsWith("com/sun/prism/") || n.contains("glass."))).as("no JavaFX in the player").isEmpty();
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.concerto.player.cli.PlayerMain");
            assertThat(j.getEntry("dev/concerto/player/discovery/MdnsAdvertiser.class")).isNotNull();
            assertThat(j.getEntry("javax/jmdns/JmDNS.class")).as("jmDNS inside").isNotNull();
        }
    }

    /** ELF e_machine / Mach-O cputype / PE machine of a native library, as a platform word. */
    private static String archOf(byte[] head) {
        if (head.length > 20 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
            return switch (machine) {
                case 0x3e -> "linux-x64";
                case 0xb7 -> "linux-aarch64";
                default -> "elf-" + machine;
            };
        }
        if (head.length > 8 && (head[0] & 0xff) == 0xcf && (head[1] & 0xff) == 0xfa && (head[2] & 0xff) == 0xed) {
            int cpu = (head[4] & 0xff) | (head[5] & 0xff) << 8 | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 24;
            return cpu == 0x01000007 ? "mac-x64" : cpu == 0x0100000c ? "mac-aarch64" : "macho-" + cpu;
        }
        if (head.length > 0x40 && head[0] == 'M' && head[1] == 'Z') {
            int pe = (head[0x3c] & 0xff) | (head[0x3d] & 0xff) << 8;
            return "pe@" + pe; // resolved below with the whole header
        }
        return "unknown";
    }

    /** JavaFX's native libraries (JavaFX keeps them at the jar's root; JNA's sit under com/sun/jna/). */
    private static Map<String, String> natives(Path jarPath) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JarFile j = new JarFile(jarPath.toFile())) {
            for (var e : (Iterable<java.util.jar.JarEntry>) j.stream()::iterator) {
                String n = e.getName();
                if (n.contains("/") || !(n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".dll"))) {
                    continue;
                }
                try (InputStream in = j.getInputStream(e)) {
                    byte[] head = in.readNBytes(4096);
                    String arch = archOf(head);
                    if (arch.startsWith("pe@")) {
                        int pe = Integer.parseInt(arch.substring(3));
                        int machine = (head[pe + 4] & 0xff) | (head[pe + 5] & 0xff) << 8;
                        arch = machine == 0x8664 ? "win-x64" : "pe-" + machine;
                    }
                    out.put(n, arch);
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"linux-x64, libglass.so", "linux-aarch64, libglass.so", "win-x64, glass.dll",
        "mac-x64, libglass.dylib", "mac-aarch64, libglass.dylib"})
    void eachDirectorJarCarriesItsPlatformsNatives(String platform, String glass) throws IOException {
        Path p = jar("concerto-director-" + Dist.VERSION + "-" + platform + ".jar");
        Map<String, String> natives = natives(p);
        System.out.println(p.getFileName() + ": " + natives);
        assertThat(natives).as("JavaFX natives").isNotEmpty();
        assertThat(natives.keySet()).anyMatch(n -> n.endsWith(glass));
        assertThat(natives.values()).as("every native is for " + platform).containsOnly(platform);
        try (JarFile j = new JarFile(p.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.concerto.director.cli.DirectorMain");
            assertThat(j.getEntry("javafx/scene/control/Button.class")).isNotNull();
        }
    }

    @Test
    void theLinuxDirectorJarStartsHeadlessForHelp() throws Exception {
        String arch = System.getProperty("os.arch");
        String platform = arch.equals("aarch64") ? "linux-aarch64" : "linux-x64";
        Path p = jar("concerto-director-" + Dist.VERSION + "-" + platform + ".jar");
        Dist.Result r = Dist.run(List.of(Dist.java(), "-Djava.awt.headless=true", "-jar", p.toString(), "--help"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("players").contains("gui").contains("play");
    }

    @Test
    void everyFileHasItsChecksum() throws Exception {
        Path sums = Dist.DIR.resolve("SHA256SUMS");
        assertThat(sums).exists();
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sums, StandardCharsets.US_ASCII)) {
            String[] f = line.split("  ", 2);
            listed.put(f[1], f[0]);
        }
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Dist.DIR)) {
            s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).filter(n -> !n.equals("SHA256SUMS"))
                    .forEach(files::add);
        }
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(files);
        for (Map.Entry<String, String> e : listed.entrySet()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(Dist.DIR.resolve(e.getKey()))) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            assertThat(HexFormat.of().formatHex(md.digest())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }
}
