package ai.maspo.orchestrator.search;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The stored JSON of a {@link SearchState}, which says its format in {@code formatVersion}, its first field:
 * <ul>
 *   <li>1 (no {@code formatVersion}): the state with the whole search history embedded in {@code history};</li>
 *   <li>2: the state without the history, which is stored entry by entry apart, and with {@code historySize}.</li>
 * </ul>
 * A version-1 state reads as the state of today plus the history it embedded, for the caller to store apart once.
 * A version this code does not know (written by a newer orchestrator) is refused, never guessed at.
 */
public final class SearchStateFormat {

    public static final int VERSION = 2;
    private static final String VERSION_FIELD = "formatVersion";
    private static final String EMBEDDED_HISTORY = "history";

    /**
     * @param formatVersion   the version it was stored in
     * @param embeddedHistory the history a version-1 state carried (empty for version 2)
     */
    public record Read(SearchState state, int formatVersion, List<HistoryEntry> embeddedHistory) {
    }

    private final ObjectMapper mapper;
    /** Reads one value in the middle of a document. */
    private final ObjectReader valueReader;

    public SearchStateFormat(ObjectMapper mapper) {
        this.mapper = mapper;
        this.valueReader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public String write(SearchState state) {
        ObjectNode stored = mapper.createObjectNode().put(VERSION_FIELD, VERSION);
        stored.setAll((ObjectNode) mapper.valueToTree(state));
        try {
            return mapper.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the search state", e);
        }
    }

    public Read read(String json) {
        try {
            ObjectNode stored = (ObjectNode) mapper.readTree(json);
            int version = checked(stored.remove(VERSION_FIELD));
            List<HistoryEntry> embedded = List.of();
            if (version == 1) {
                JsonNode history = stored.remove(EMBEDDED_HISTORY);
                if (history == null) {
                    throw new IllegalStateException("stored search state of format 1 without its history");
                }
                embedded = mapper.convertValue(history, new TypeReference<List<HistoryEntry>>() {
                });
                stored.put("historySize", embedded.size());
            }
            return new Read(mapper.treeToValue(stored, SearchState.class), version, List.copyOf(embedded));
        } catch (JsonProcessingException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("stored search state unreadable: " + e.getMessage(), e);
        }
    }

    /** The format of a stored state, read without decoding the rest: version 2 names it first. */
    public int version(String json) {
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored search state is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals(VERSION_FIELD)) {
                    return checked(valueReader.readTree(parser));
                }
                parser.skipChildren();
            }
            return checked(null);
        } catch (IOException e) {
            throw new IllegalStateException("stored search state unreadable: " + e.getMessage(), e);
        }
    }

    /** The version a {@code formatVersion} field names (none: 1), refused unless this code reads it. */
    private static int checked(JsonNode field) {
        if (field == null) {
            return 1;
        }
        if (!field.isInt() || field.intValue() < 2) {
            throw new IllegalStateException("stored search state has an invalid formatVersion " + field);
        }
        if (field.intValue() > VERSION) {
            throw new IllegalStateException("stored search state has formatVersion " + field.intValue()
                    + ", newer than this orchestrator reads (1 to " + VERSION + "): it was written by a newer version");
        }
        return field.intValue();
    }
}
