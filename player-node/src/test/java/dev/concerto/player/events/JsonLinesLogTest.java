package dev.concerto.player.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesLogTest {

    @TempDir
    Path dir;

    @Test
    void writesOneObjectPerLine() throws Exception {
        Path f = dir.resolve("a.jsonl");
        try (JsonLinesLog<Integer> log = JsonLinesLog.open(f, 1 << 20, 16, (n, g) -> g.writeNumberField("n", n))) {
            for (int i = 0; i < 10; i++) {
                assertThat(log.offer(i)).isTrue();
            }
            log.flush();
            assertThat(Files.readAllLines(f)).hasSize(10).startsWith("{\"n\":0}").endsWith("{\"n\":9}");
            assertThat(log.written()).isEqualTo(10);
        }
    }

    @Test
    void stopsAtItsSizeLimitWithOneLineSayingSo() throws Exception {
        Path f = dir.resolve("full.jsonl");
        try (JsonLinesLog<Integer> log = JsonLinesLog.open(f, 1024, 4096,
                (n, g) -> g.writeStringField("pad", "x".repeat(40) + n))) {
            for (int i = 0; i < 1000; i++) {
                log.offer(i);
            }
            log.flush();
            assertThat(log.stopped()).isTrue();
            assertThat(log.written() + log.dropped()).isEqualTo(1000);
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"events-limit\"").contains("\"limit_bytes\":1024");
        assertThat(lines).filteredOn(l -> l.contains("events-limit")).hasSize(1);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        Path f = dir.resolve("slow.jsonl");
        CountDownLatch release = new CountDownLatch(1);
        JsonLinesLog<Integer> log = JsonLinesLog.open(f, 1 << 20, 4, (n, g) -> {
            try {
                release.await(10, TimeUnit.SECONDS); // a disk that does not keep up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            g.writeNumberField("n", n);
        });
        long accepted = 0;
        for (int i = 0; i < 100; i++) {  // returns at once, whatever the writer does
            accepted += log.offer(i) ? 1 : 0;
        }
        assertThat(accepted).isLessThanOrEqualTo(5);   // the queue, plus the one being written
        assertThat(log.dropped()).isEqualTo(100 - accepted);
        release.countDown();
        log.close();
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize((int) accepted + 1);
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"events-dropped\"")
                .contains("\"count\":" + (100 - accepted));
    }

    @Test
    void theLineSizeIsCountedInUtf8BytesWithoutEncoding() {
        // The size cap counts bytes as written: ASCII, two-byte, three-byte and a surrogate pair (four).
        for (String text : List.of("", "{\"hz\":440}", "caf\u00e9", "\u266b note", "\ud834\udd1e clef")) {
            assertThat(JsonLinesLog.utf8Length(text)).as(text)
                    .isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        // A lone surrogate (not text) is written as '?'; counted as three bytes, the cap errs on the safe side.
        String lone = "lone \ud834";
        assertThat(JsonLinesLog.utf8Length(lone)).isGreaterThanOrEqualTo(lone.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
}
