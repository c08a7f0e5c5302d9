package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;

/** The import suite's generated files hold the note counts it claims. */
class ImportSuiteTest {

    @Test
    void theMidiFileHas65000NotesAndThousandsOfTempoEvents() throws Exception {
        Sequence seq = MidiSystem.getSequence(new ByteArrayInputStream(ImportSuite.midiFile()));
        int notes = 0;
        int tempos = 0;
        for (Track t : seq.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                MidiEvent e = t.get(i);
                if (e.getMessage() instanceof ShortMessage m && m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) {
                    notes++;
                } else if (e.getMessage().getStatus() == 0xFF && e.getMessage().getMessage()[1] == 0x51) {
                    tempos++;
                }
            }
        }
        assertThat(notes).isEqualTo(ImportSuite.MIDI_NOTES);
        assertThat(tempos).isEqualTo(3_000);
    }

    @Test
    void theMusicXmlFileHas10000Notes() {
        String xml = ImportSuite.musicXml();
        assertThat(xml.split("<pitch>", -1).length - 1).isEqualTo(ImportSuite.MUSICXML_NOTES);
    }
}
