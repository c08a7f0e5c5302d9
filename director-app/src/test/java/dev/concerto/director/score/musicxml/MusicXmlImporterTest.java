package dev.concerto.director.score.musicxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.ScoreLoader;
import dev.concerto.director.score.ShippedScores;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.Unplaced;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MusicXML import, note by note: each hand-written feature file, and the same file as MuseScore 3
 * exported it (a real notation program's spelling of ties, tuplets, voltas, jumps and transposing
 * parts), give exactly the expected timeline.
 */
class MusicXmlImporterTest {

    @TempDir
    Path dir;

    /** voice start+duration (quarter beats) MIDI note, per hand-written file. */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "ties", List.of("Flute 0+1 72", "Flute 1+2 74", "Flute 3+7 76", "Flute 10+1 78"),
            "tuplets", List.of("Violin 0+0.3333 67", "Violin 0.3333+0.3333 69", "Violin 0.6667+0.3333 71",
                    "Violin 1+1.5 72", "Violin 2.5+0.5 74"),
            "voltas", List.of("Oboe 0+4 72", "Oboe 4+4 74", "Oboe 8+4 76", "Oboe 12+4 74", "Oboe 16+4 77", "Oboe 20+4 79"),
            "clarinet", List.of("Flute 0+2 72", "Flute 2+2 70", "Clarinet in Bb 0+2 72", "Clarinet in Bb 2+2 70"),
            "two-voices", List.of("Piano 0+2 72", "Piano 2+2 74", "Piano-2 1+1 64", "Piano-2 2+2 69", "Piano-3 2+2 65"),
            "dc-al-fine", List.of("Horn 0+2 69", "Horn 2+2 71", "Horn 4+2 72", "Horn 6+2 69", "Horn 8+2 71"),
            "ds-al-coda", List.of("Trumpet in C 0+1 72", "Trumpet in C 1+1 74", "Trumpet in C 2+1 76",
                    "Trumpet in C 3+1 77", "Trumpet in C 4+1 74", "Trumpet in C 5+1 76", "Trumpet in C 6+1 79"),
            "meter-changes", List.of("Oboe 0+1 67", "Oboe 1+2 72", "Oboe 3+1 76", "Oboe 4+3 74", "Oboe 7+1 76",
                    "Oboe 8+1 77", "Oboe 9+2 79", "Oboe 11+4 81", "Oboe 15+1.5 79", "Oboe 16.5+1.5 72"));

    private static Timeline timeline(Path p) throws ScoreException {
        return ScoreCompiler.compile(ScoreLoader.load(p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ties", "tuplets", "voltas", "clarinet", "two-voices", "dc-al-fine", "ds-al-coda",
        "meter-changes"})
    void handWrittenFileGivesTheExpectedNotes(String name) throws Exception {
        Score s = ScoreLoader.load(MusicXmlFixtures.handwritten(name));
        assertThat(MusicXmlFixtures.notes(ScoreCompiler.compile(s))).containsExactlyElementsOf(EXPECTED.get(name));
        assertThat(s.report().fileWarnings()).isEmpty();
        assertThat(s.report().unplaced()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ties", "tuplets", "voltas", "clarinet", "two-voices", "dc-al-fine", "ds-al-coda",
        "meter-changes"})
    void museScoresExportOfTheFileGivesTheSameNotes(String name) throws Exception {
        Score s = ScoreLoader.load(MusicXmlFixtures.museScore(name + ".musicxml"));
        assertThat(MusicXmlFixtures.notes(ScoreCompiler.compile(s))).containsExactlyElementsOf(EXPECTED.get(name));
        assertThat(s.report().fileWarnings()).as("MuseScore's layout elements are ignored quietly").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"handwritten", "musescore3"})
    void measuresFollowEveryTimeSignatureAndThePickup(String by) throws Exception {
        // a one-beat pickup in 3/4, two measures of 3/4, two of 4/4, one of 6/8 (quarter = 120)
        Path p = MusicXmlFixtures.resources().resolve(by).resolve("meter-changes.musicxml");
        Score s = ScoreLoader.load(p);
        Timeline t = ScoreCompiler.compile(s);
        assertThat(t.measureStartBeats()).containsExactly(0.0, 1.0, 4.0, 7.0, 11.0, 15.0);
        assertThat(t.measureStartSeconds()).containsExactly(0.0, 0.5, 2.0, 3.5, 5.5, 7.5);
        assertThat(t.measureCount()).isEqualTo(6);
        assertThat(t.measureAt(4.0)).as("beat 8 is in the first 4/4 measure").isEqualTo(4);
        assertThat(s.document().meter()).isEqualTo("3/4");
        assertThat(s.report().fileWarnings()).isEmpty();
    }

    @Test
    void aRepeatReturnsToTheMeterOfWhereItGoesBack() throws Exception {
        Path p = Files.writeString(dir.resolve("repeat-meter.musicxml"), """
                <score-partwise version="4.0"><part-list><score-part id="P1"><part-name>A</part-name></score-part></part-list>
                <part id="P1">
                  <measure number="1"><attributes><divisions>1</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>
                    <note><pitch><step>C</step><octave>4</octave></pitch><duration>3</duration></note></measure>
                  <measure number="2"><attributes><time><beats>2</beats><beat-type>4</beat-type></time></attributes>
                    <note><pitch><step>D</step><octave>4</octave></pitch><duration>2</duration></note>
                    <barline location="right"><repeat direction="backward"/></barline></measure>
                  <measure number="3"><attributes><time><beats>5</beats><beat-type>64</beat-type></time></attributes>
                    <note><pitch><step>E</step><octave>4</octave></pitch><duration>2</duration></note></measure>
                </part></score-partwise>""");
        Score s = ScoreLoader.load(p);
        // 3/4, 2/4, again 3/4 and 2/4 (the repeat), then measure 3: 5/64 is no meter a score can have, so 2/4 goes on
        assertThat(ScoreCompiler.compile(s).measureStartBeats()).containsExactly(0.0, 3.0, 5.0, 8.0, 10.0);
        assertThat(s.report().fileWarnings()).containsExactly("the time signature 5/64 in measure 3 is not one a score "
                + "can have (1..64 beats of 1/1..1/32); measures keep the one before");
    }

    @Test
    void tempoMarksGiveSeconds() throws Exception {
        Timeline ties = timeline(MusicXmlFixtures.handwritten("ties")); // quarter = 60
        assertThat(ties.voices().get(0).notes().get(2).startSeconds()).isCloseTo(3.0, within(1e-9));
        Timeline tuplets = timeline(MusicXmlFixtures.handwritten("tuplets")); // quarter = 120
        assertThat(tuplets.voices().get(0).notes().get(3).startSeconds()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void museScoreExportOfTheMidiRoundMatchesTheMidiImport() throws Exception {
        // MuseScore 3 read scores/frere-jacques.mid and wrote MusicXML: same pitches, onsets, lengths, tempo map
        Timeline xml = ScoreCompiler.compile(ScoreLoader.load(MusicXmlFixtures.museScore("frere-jacques.musicxml"),
                new Placement(Placement.Split.HIGH_TO_LOW, 2, Placement.Keep.OUTER, false)));
        Timeline mid = ScoreCompiler.compile(ScoreLoader.load(ShippedScores.path("frere-jacques.mid"),
                new Placement(Placement.Split.HIGH_TO_LOW, 2, Placement.Keep.OUTER, false)));
        assertThat(MusicXmlFixtures.notes(xml)).containsExactlyElementsOf(MusicXmlFixtures.notes(mid));
        assertThat(xml.totalSeconds()).isCloseTo(mid.totalSeconds(), within(1e-9));
    }

    @Test
    void theShippedRoundAndItsMuseScoreExportsAgree() throws Exception {
        Timeline ours = timeline(ShippedScores.path("row-row-row-your-boat.musicxml"));
        assertThat(ours.title()).isEqualTo("Row, Row, Row Your Boat (round)");
        assertThat(ours.composer()).isEqualTo("Traditional");
        assertThat(ours.voices()).extracting(v -> v.name()).containsExactly("Voice 1", "Voice 2", "Voice 3");
        assertThat(ours.noteCount()).isEqualTo(3 * 54);
        assertThat(ours.totalSeconds()).isCloseTo(40.0, within(1e-9)); // 20 measures of 6/8, dotted quarter = 60
        assertThat(MusicXmlFixtures.notes(timeline(MusicXmlFixtures.museScore("row-row-row-your-boat.musicxml"))))
                .containsExactlyElementsOf(MusicXmlFixtures.notes(ours));
        assertThat(MusicXmlFixtures.notes(timeline(MusicXmlFixtures.museScore("row-row-row-your-boat.mxl"))))
                .containsExactlyElementsOf(MusicXmlFixtures.notes(ours));
    }

    @Test
    void timewiseGivesWhatPartwiseGives() throws Exception {
        String timewise = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE score-timewise PUBLIC "-//Recordare//DTD MusicXML 4.0 Timewise//EN" "http://www.musicxml.org/dtds/timewise.dtd">
                <score-timewise version="4.0">
                  <work><work-title>Ties across measures</work-title></work>
                  <part-list><score-part id="P1"><part-name>Flute</part-name></score-part></part-list>
                  <measure number="1"><part id="P1">
                    <attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>
                    <sound tempo="60"/>
                    <note><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration></note>
                    <note><pitch><step>D</step><octave>5</octave></pitch><duration>2</duration></note>
                    <note><pitch><step>E</step><octave>5</octave></pitch><duration>1</duration><tie type="start"/></note>
                  </part></measure>
                  <measure number="2"><part id="P1">
                    <note><pitch><step>E</step><octave>5</octave></pitch><duration>4</duration><tie type="stop"/><tie type="start"/></note>
                  </part></measure>
                  <measure number="3"><part id="P1">
                    <note><pitch><step>E</step><octave>5</octave></pitch><duration>2</duration><tie type="stop"/></note>
                    <note><pitch><step>F</step><alter>1</alter><octave>5</octave></pitch><duration>1</duration></note>
                    <note><rest/><duration>1</duration></note>
                  </part></measure>
                </score-timewise>
                """;
        Path p = Files.writeString(dir.resolve("ties-timewise.xml"), timewise);
        Score s = ScoreLoader.load(p);
        assertThat(MusicXmlFixtures.notes(ScoreCompiler.compile(s))).containsExactlyElementsOf(EXPECTED.get("ties"));
        assertThat(s.description()).contains("timewise");
    }

    @Test
    void compressedMxlIsReadThroughItsContainer() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("META-INF/container.xml"));
            z.write("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <container><rootfiles><rootfile full-path="score/voltas.musicxml" media-type="application/vnd.recordare.musicxml+xml"/></rootfiles></container>
                    """.getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("decoy.xml"));
            z.write("<nothing/>".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("score/voltas.musicxml"));
            z.write(Files.readAllBytes(MusicXmlFixtures.handwritten("voltas")));
        }
        Path p = Files.write(dir.resolve("voltas.mxl"), zip.toByteArray());
        assertThat(MusicXmlFixtures.notes(timeline(p))).containsExactlyElementsOf(EXPECTED.get("voltas"));
    }

    @Test
    void externalEntitiesAreRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE score-partwise [ <!ENTITY xxe SYSTEM "%s"> ]>
                <score-partwise><work><work-title>&xxe;</work-title></work>
                <part-list><score-part id="P1"><part-name>x</part-name></score-part></part-list>
                <part id="P1"><measure number="1"><attributes><divisions>1</divisions></attributes>
                <note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration></note></measure></part>
                </score-partwise>
                """.formatted(secret.toUri());
        Path p = Files.writeString(dir.resolve("xxe.musicxml"), xxe);
        assertThatThrownBy(() -> ScoreLoader.load(p)).isInstanceOf(ScoreException.class)
                .hasMessageStartingWith(p + ":2:").hasMessageContaining("entities")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOP SECRET"));
    }

    @Test
    void billionLaughsIsRefused() throws Exception {
        StringBuilder dtd = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE score-partwise [" + dtd + "]>\n"
                + "<score-partwise><work><work-title>&lol9;</work-title></work></score-partwise>\n";
        Path p = Files.writeString(dir.resolve("lol.musicxml"), bomb);
        assertThatThrownBy(() -> ScoreLoader.load(p)).isInstanceOf(ScoreException.class)
                .hasMessageContaining("entities");
    }

    @Test
    void aMuseScore4StyleFileIsReadAndItsLayoutIgnored() throws Exception {
        String ms4 = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">
                <score-partwise version="4.0">
                  <work>
                    <work-title>Minuet</work-title>
                    </work>
                  <identification>
                    <creator type="composer">Anonymous</creator>
                    <encoding>
                      <software>MuseScore 4.2.1</software>
                      <encoding-date>2024-01-15</encoding-date>
                      <supports element="accidental" type="yes"/>
                      <supports element="beam" type="yes"/>
                      <supports element="print" attribute="new-page" type="no"/>
                      <supports element="print" attribute="new-system" type="no"/>
                      <supports element="stem" type="yes"/>
                      </encoding>
                    </identification>
                  <defaults>
                    <scaling><millimeters>6.99911</millimeters><tenths>40</tenths></scaling>
                    <page-layout>
                      <page-height>1596.77</page-height><page-width>1233.87</page-width>
                      <page-margins type="even"><left-margin>85.7252</left-margin><right-margin>85.7252</right-margin><top-margin>85.7252</top-margin><bottom-margin>85.7252</bottom-margin></page-margins>
                      </page-layout>
                    <appearance>
                      <line-width type="light barline">1.8</line-width>
                      <note-size type="grace">70</note-size>
                      </appearance>
                    <music-font font-family="Leland"/>
                    <word-font font-family="Edwin" font-size="10"/>
                    <lyric-font font-family="Edwin" font-size="10"/>
                    </defaults>
                  <credit page="1">
                    <credit-type>title</credit-type>
                    <credit-words default-x="616.935" default-y="1511.04" justify="center" valign="top" font-size="22">Minuet</credit-words>
                    </credit>
                  <credit page="1">
                    <credit-type>composer</credit-type>
                    <credit-words default-x="1148.14" default-y="1411.04" justify="right" valign="bottom">Anonymous</credit-words>
                    </credit>
                  <part-list>
                    <part-group type="start" number="1"><group-symbol>brace</group-symbol></part-group>
                    <score-part id="P1">
                      <part-name>Piano</part-name>
                      <part-abbreviation>Pno.</part-abbreviation>
                      <score-instrument id="P1-I1"><instrument-name>Piano</instrument-name></score-instrument>
                      <midi-device id="P1-I1" port="1"></midi-device>
                      <midi-instrument id="P1-I1"><midi-channel>1</midi-channel><midi-program>1</midi-program><volume>78.7402</volume><pan>0</pan></midi-instrument>
                      </score-part>
                    <part-group type="stop" number="1"/>
                    </part-list>
                  <part id="P1">
                    <measure number="1" width="356.02">
                      <print>
                        <system-layout><system-margins><left-margin>50.00</left-margin><right-margin>0.00</right-margin></system-margins><top-system-distance>170.00</top-system-distance></system-layout>
                        </print>
                      <attributes>
                        <divisions>2</divisions>
                        <key><fifths>1</fifths></key>
                        <time><beats>3</beats><beat-type>4</beat-type></time>
                        <clef><sign>G</sign><line>2</line></clef>
                        </attributes>
                      <direction placement="above">
                        <direction-type><words font-weight="bold" font-size="12">Allegretto</words></direction-type>
                        <direction-type><metronome parentheses="no"><beat-unit>quarter</beat-unit><per-minute>132</per-minute></metronome></direction-type>
                        <sound tempo="132"/>
                        </direction>
                      <direction placement="below"><direction-type><dynamics><mf/></dynamics></direction-type><sound dynamics="88.89"/></direction>
                      <note default-x="80.72" default-y="-10.00">
                        <pitch><step>D</step><octave>5</octave></pitch>
                        <duration>2</duration><voice>1</voice><type>quarter</type><stem>down</stem>
                        <lyric number="1"><syllabic>single</syllabic><text>la</text></lyric>
                        </note>
                      <note default-x="130.50" default-y="-25.00">
                        <pitch><step>G</step><octave>4</octave></pitch>
                        <duration>1</duration><voice>1</voice><type>eighth</type><stem>up</stem><beam number="1">begin</beam>
                        </note>
                      <note default-x="160.50" default-y="-20.00">
                        <pitch><step>A</step><octave>4</octave></pitch>
                        <duration>1</duration><voice>1</voice><type>eighth</type><stem>up</stem><beam number="1">end</beam>
                        </note>
                      <note default-x="190.50" default-y="-15.00">
                        <pitch><step>B</step><octave>4</octave></pitch>
                        <duration>2</duration><voice>1</voice><type>quarter</type><stem>down</stem>
                        <notations><articulations><staccato/></articulations><fermata type="upright"/></notations>
                        </note>
                      <barline location="right"><bar-style>light-heavy</bar-style></barline>
                      </measure>
                    </part>
                  </score-partwise>
                """;
        Path p = Files.writeString(dir.resolve("minuet.musicxml"), ms4);
        Score s = ScoreLoader.load(p);
        Timeline t = ScoreCompiler.compile(s);
        assertThat(t.title()).isEqualTo("Minuet");
        assertThat(t.composer()).isEqualTo("Anonymous");
        assertThat(t.bpm()).isEqualTo(132.0);
        assertThat(MusicXmlFixtures.notes(t)).containsExactly("Piano 0+1 74", "Piano 1+0.5 67", "Piano 1.5+0.5 69", "Piano 2+1 71");
        assertThat(s.report().fileWarnings()).isEmpty();
        assertThat(s.document().meter()).isEqualTo("3/4");
    }

    @Test
    void unsupportedElementsGiveOneWarningEachAndOddNotesAreReported() throws Exception {
        String xml = """
                <score-partwise version="3.1">
                  <part-list><score-part id="P1"><part-name>Guitar</part-name></score-part><score-part id="P2"><part-name>Drums</part-name></score-part></part-list>
                  <part id="P1">
                    <measure number="1">
                      <attributes><divisions>1</divisions></attributes>
                      <harmony><root><root-step>C</root-step></root><kind>major</kind></harmony>
                      <note><grace/><pitch><step>B</step><octave>3</octave></pitch></note>
                      <note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration></note>
                      <harmony><root><root-step>G</root-step></root><kind>major</kind></harmony>
                      <note><pitch><step>C</step><octave>10</octave></pitch><duration>1</duration></note>
                    </measure>
                  </part>
                  <part id="P2">
                    <measure number="1">
                      <attributes><divisions>1</divisions></attributes>
                      <note><unpitched><display-step>C</display-step><display-octave>5</display-octave></unpitched><duration>2</duration></note>
                    </measure>
                  </part>
                </score-partwise>
                """;
        Path p = Files.writeString(dir.resolve("odd.xml"), xml);
        Score s = ScoreLoader.load(p);
        assertThat(s.report().fileWarnings()).containsExactly(
                "1 grace note is not played (grace notes take no time in MusicXML; the main note keeps its full length)",
                "<harmony> is not supported and was ignored (2×, first at line 6)");
        assertThat(s.report().unplaced()).extracting(Unplaced::cause)
                .containsExactlyInAnyOrder(Unplaced.Cause.OUT_OF_RANGE, Unplaced.Cause.PERCUSSION);
        assertThat(s.title()).isEqualTo("odd");
    }

    @Test
    void badFilesNameTheLineAndTheElement() throws Exception {
        Path p = Files.writeString(dir.resolve("bad.musicxml"), """
                <score-partwise>
                  <part-list><score-part id="P1"><part-name>x</part-name></score-part></part-list>
                  <part id="P1"><measure number="1"><attributes><divisions>1</divisions></attributes>
                    <note><pitch><step>H</step><octave>4</octave></pitch><duration>1</duration></note>
                  </measure></part>
                </score-partwise>
                """);
        assertThatThrownBy(() -> ScoreLoader.load(p)).hasMessage(p + ":4:18: <pitch>: <step> must be one of A..G, not 'H'");
        Path broken = Files.writeString(dir.resolve("broken.musicxml"), "<score-partwise><part>\n</score-partwise>");
        assertThatThrownBy(() -> ScoreLoader.load(broken)).isInstanceOf(ScoreException.class)
                .hasMessageStartingWith(broken + ":2:").hasMessageContaining("bad XML");
        Path notXml = Files.writeString(dir.resolve("opus.musicxml"), "<opus/>");
        assertThatThrownBy(() -> ScoreLoader.load(notXml)).hasMessageContaining("expected <score-partwise> or <score-timewise>");
        Path notZip = Files.write(dir.resolve("x.mxl"), new byte[] {'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> ScoreLoader.load(notZip)).isInstanceOf(ScoreException.class);
    }

    @Test
    void endlessRepeatsAreAnError() throws Exception {
        Path p = Files.writeString(dir.resolve("loop.musicxml"), """
                <score-partwise>
                  <part-list><score-part id="P1"><part-name>x</part-name></score-part></part-list>
                  <part id="P1"><measure number="1"><attributes><divisions>1</divisions></attributes>
                    <note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration></note>
                    <barline location="right"><repeat direction="backward" times="64"/></barline>
                    <sound dacapo="yes"/>
                  </measure></part>
                </score-partwise>
                """);
        Score s = ScoreLoader.load(p); // 64 times, then D.C. once (repeats not taken again): finite
        assertThat(ScoreCompiler.compile(s).noteCount()).isEqualTo(65);
    }
}
