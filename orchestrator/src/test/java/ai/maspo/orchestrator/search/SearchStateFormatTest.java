package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stored search state across formats. The resources under {@code search-state-v1/} were written by the
 * orchestrator before format 2 (commit 4c81f93) for a two-agent reflect run (2 layers each, K=2, C=1, B=2): the state
 * it stored when held before the predictor's second layer, and the complete history its API returned for the run.
 */
class SearchStateFormatTest {

    static final String V1_STATE = "/search-state-v1/reflect-before-predictor-layer-2.json";
    static final String V1_COMPLETE_HISTORY = "/search-state-v1/reflect-complete-history.json";

    /** Strict about trailing content, as the service's mapper is. */
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final SearchStateFormat format = new SearchStateFormat(mapper);

    static String resource(String path) throws IOException {
        try (InputStream in = SearchStateFormatTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aStateOfTheFirstFormatGivesUpItsEmbeddedHistoryAsTheApiShowedIt() throws Exception {
        String v1 = resource(V1_STATE);
        assertThat(format.version(v1)).isEqualTo(1);
        SearchStateFormat.Read read = format.read(v1);

        assertThat(read.formatVersion()).isEqualTo(1);
        assertThat(read.embeddedHistory()).extracting(h -> h.getClass().getSimpleName() + " " + h.agent())
                .containsExactly("LayerRecord predictor", "LayerRecord reflector", "RefreshRecord predictor");
        assertThat(read.state().historySize()).isEqualTo(3);
        assertThat(read.state().outstanding()).extracting(SearchCommand::id).containsExactly("minibatch/predictor/L2");
        // Each entry, encoded again, is byte for byte what GET /history answered for it before.
        JsonNode before = mapper.readTree(resource(V1_COMPLETE_HISTORY));
        for (int i = 0; i < read.embeddedHistory().size(); i++) {
            assertThat(mapper.writerFor(HistoryEntry.class).writeValueAsString(read.embeddedHistory().get(i)))
                    .isEqualTo(mapper.writeValueAsString(before.get(i)));
        }
    }

    @Test
    void theCurrentFormatNamesItsVersionFirstAndLeavesTheHistoryOut() throws Exception {
        SearchState state = format.read(resource(V1_STATE)).state();
        String v2 = format.write(state);

        assertThat(v2).startsWith("{\"formatVersion\":2,").doesNotContain("\"history\"");
        assertThat(format.version(v2)).isEqualTo(2);
        SearchStateFormat.Read read = format.read(v2);
        assertThat(read.formatVersion()).isEqualTo(2);
        assertThat(read.state()).isEqualTo(state);
        assertThat(read.embeddedHistory()).isEmpty();
    }

    @Test
    void aFormatThisCodeDoesNotKnowIsRefusedWithItsVersion() throws Exception {
        String v2 = format.write(format.read(resource(V1_STATE)).state());
        String newer = v2.replace("{\"formatVersion\":2,", "{\"formatVersion\":3,");
        for (var reading : List.<Runnable>of(() -> format.read(newer), () -> format.version(newer))) {
            assertThatThrownBy(reading::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("formatVersion 3").hasMessageContaining("newer");
        }
        String mistyped = v2.replace("{\"formatVersion\":2,", "{\"formatVersion\":\"2\",");
        assertThatThrownBy(() -> format.read(mistyped)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalid formatVersion \"2\"");
    }
}
