package ai.maspo.orchestrator.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.maspo.orchestrator.domain.Limits;
import ai.maspo.orchestrator.domain.PlainText;
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

    /**
     * @param field the request field the text came from, named when the text as a whole is at fault
     * @throws DatasetImportException naming the first line that is not a JSON object or holds text that cannot be
     *                                stored, or the field when there are no or too many records
     */
    public static List<Row> parse(String text, String field) {
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
            if (rows.size() == Limits.DATASET_ROWS) {
                throw new DatasetImportException(field, "more than " + Limits.DATASET_ROWS + " records");
            }
            requirePlainText(object, i + 1);
            rows.add(new Row(i + 1, object));
        }
        if (rows.isEmpty()) {
            throw new DatasetImportException(field, "no records (empty source)");
        }
        return rows;
    }

    /** every string and key of the record, at any depth; the error names the record's top-level field */
    private static void requirePlainText(ObjectNode row, int line) {
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) row::fields) {
            java.util.Optional<String> problem = PlainText.problem(field.getKey()).or(() -> firstProblem(field.getValue()));
            if (problem.isPresent()) {
                throw new DatasetImportException(null, line, field.getKey(), problem.get());
            }
        }
    }

    private static java.util.Optional<String> firstProblem(JsonNode node) {
        if (node.isTextual()) {
            return PlainText.problem(node.textValue());
        }
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
            var problem = PlainText.problem(field.getKey()).or(() -> firstProblem(field.getValue()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (JsonNode element : node) {
            if (!node.isObject()) {
                var problem = firstProblem(element);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return java.util.Optional.empty();
    }
}
