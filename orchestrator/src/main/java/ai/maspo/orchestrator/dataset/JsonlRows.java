package ai.maspo.orchestrator.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines text split into objects that remember their line number; blank lines are skipped. */
public final class JsonlRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param line 1-based line in the source */
    public record Row(int line, ObjectNode fields) {
    }

    private JsonlRows() {
    }

    /** @throws DatasetImportException naming the first line that is not a JSON object */
    public static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        // only \n ends a record: \R would also split at U+2028/U+0085, which JSON strings may contain raw (GPQA does)
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new DatasetImportException(null, i + 1, null, "not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!(node instanceof ObjectNode object)) {
                throw new DatasetImportException(null, i + 1, null, "expected a JSON object, found " + node.getNodeType());
            }
            rows.add(new Row(i + 1, object));
        }
        if (rows.isEmpty()) {
            throw new DatasetImportException(null, null, null, "no records (empty source)");
        }
        return rows;
    }
}
