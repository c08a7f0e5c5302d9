package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** scores/score.schema.json and the bound records name the same fields, so the schema cannot drift. */
class SchemaConsistencyTest {

    private static JsonNode schema() throws Exception {
        return new ObjectMapper().readTree(Files.readString(ShippedScores.path("score.schema.json")));
    }

    private static TreeSet<String> fields(JsonNode props) {
        TreeSet<String> out = new TreeSet<>();
        Iterator<String> it = props.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }

    private static TreeSet<String> components(Class<?> record) {
        TreeSet<String> out = new TreeSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            JsonProperty q = p != null ? p : findOnField(record, c.getName());
            out.add(q != null && !q.value().isEmpty() ? q.value() : c.getName());
        }
        return out;
    }

    private static JsonProperty findOnField(Class<?> record, String name) {
        try {
            return record.getDeclaredField(name).getAnnotation(JsonProperty.class);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/properties, ScoreDocument",
        "/$defs/tuning/properties, ScoreDocument$TuningSpec",
        "/$defs/tempo/properties, ScoreDocument$TempoSpec",
        "/$defs/tempo/properties/changes/items/properties, ScoreDocument$TempoChange",
        "/properties/meterChanges/items/properties, ScoreDocument$MeterChange",
        "/$defs/voice/properties, ScoreDocument$VoiceSpec",
        "/$defs/figure/properties, ScoreDocument$FigureSpec",
        "/$defs/figure/properties/steps/items/properties, ScoreDocument$FigureStep",
        "/$defs/part/properties, ScoreDocument$PartSpec",
        "/$defs/event/properties, ScoreDocument$EventSpec",
    })
    void schemaNamesTheRecordsFields(String pointer, String recordName) throws Exception {
        Class<?> record = Class.forName("dev.concerto.director.score." + recordName);
        assertThat(fields(schema().at(pointer))).as(pointer).isEqualTo(components(record));
    }

    @Test
    void tuningTypesAreTheCompilersTypes() throws Exception {
        List<String> types = new ArrayList<>();
        schema().at("/$defs/tuning/properties/type/enum").forEach(n -> types.add(n.asText()));
        List<String> known = new ArrayList<>(List.of("formula", "list"));
        for (Temperament t : Temperament.values()) {
            known.add(t.key());
        }
        assertThat(types).containsExactlyElementsOf(known);
    }
}
