package ai.maspo.orchestrator.dataset;

import ai.maspo.orchestrator.dataset.JsonlRows.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one source row into a {@link DatasetItem}, per format; a missing or mistyped field names its line. */
public final class FormatAdapters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FormatAdapters() {
    }

    /**
     * @param idPrefix prefix for ids derived from line numbers (keeps ids of two split files apart)
     * @param mapping  required for {@link DatasetFormat#GENERIC}, ignored otherwise
     */
    public static DatasetItem adapt(DatasetFormat format, Row row, String idPrefix, FieldMapping mapping) {
        String lineId = idPrefix + "line-" + row.line();
        return switch (format) {
            case MATH_500 -> new DatasetItem(text(row, "unique_id"), text(row, "problem"), text(row, "answer"), null,
                    metadata(row, "subject", "level"), row.line());
            case AGIEVAL_MATH -> new DatasetItem(lineId, text(row, "problem"), text(row, "answer"), null,
                    metadata(row, "type", "level"), row.line());
            case AQUA_RAT -> new DatasetItem(lineId, text(row, "question") + "\n" + String.join("\n", texts(row, "options")),
                    text(row, "correct"), null, Map.of(), row.line());
            case GPQA_DIAMOND -> new DatasetItem(lineId, text(row, "question"), text(row, "answer"), null, Map.of(), row.line());
            case MBPP -> mbpp(row);
            case HUMANEVAL_ET -> humanEval(row);
            case SIMULATOR -> new DatasetItem(text(row, "id"), text(row, "question"), text(row, "answer"), null, Map.of(), row.line());
            case GENERIC -> generic(row, lineId, mapping);
        };
    }

    private static DatasetItem mbpp(Row row) {
        List<String> tests = nonEmpty(row, "test_list", texts(row, "test_list"));
        String text = text(row, "prompt") + "\nYour code should pass these tests:\n" + String.join("\n", tests);
        return new DatasetItem("mbpp/" + text(row, "task_id"), text, text(row, "code"),
                testSpec(texts(row, "test_imports"), tests, null, null), Map.of(), row.line());
    }

    private static DatasetItem humanEval(Row row) {
        String stub = text(row, "prompt");
        String entryPoint = text(row, "entry_point");
        return new DatasetItem(text(row, "task_id"), stub, text(row, "canonical_solution"),
                testSpec(List.of(), nonEmpty(row, "test_list", texts(row, "test_list")), entryPoint, stub), Map.of("entry_point", entryPoint), row.line());
    }

    private static DatasetItem generic(Row row, String lineId, FieldMapping mapping) {
        if (mapping == null || mapping.text() == null || mapping.text().isBlank()) {
            throw new DatasetImportException("fields.text", "the generic format needs a field mapping with at least 'text'");
        }
        String text = text(row, mapping.text());
        if (mapping.options() != null) {
            text = text + "\n" + String.join("\n", texts(row, mapping.options()));
        }
        String testSpec = mapping.tests() == null ? null : testSpec(
                mapping.testImports() == null ? List.of() : texts(row, mapping.testImports()),
                nonEmpty(row, mapping.tests(), texts(row, mapping.tests())),
                mapping.entryPoint() == null ? null : text(row, mapping.entryPoint()),
                mapping.stub() == null ? null : text(row, mapping.stub()));
        return new DatasetItem(mapping.id() == null ? lineId : text(row, mapping.id()), text,
                mapping.reference() == null ? null : text(row, mapping.reference()), testSpec, Map.of(), row.line());
    }

    /** the same JSON the evaluator's CodeTestSpec reads */
    private static String testSpec(List<String> imports, List<String> tests, String entryPoint, String stub) {
        ObjectNode spec = JSON.createObjectNode();
        spec.putArray("imports").addAll(imports.stream().map(JSON.getNodeFactory()::textNode).toList());
        spec.putArray("tests").addAll(tests.stream().map(JSON.getNodeFactory()::textNode).toList());
        spec.put("entryPoint", entryPoint);
        spec.put("stub", stub);
        return spec.toString();
    }

    /** a required scalar field as text (numbers are accepted: MBPP task ids are numbers) */
    private static String text(Row row, String field) {
        JsonNode node = row.fields().get(field);
        if (node == null || node.isNull()) {
            throw new DatasetImportException(null, row.line(), field, "missing field");
        }
        if (!node.isValueNode()) {
            throw new DatasetImportException(null, row.line(), field, "expected text, found " + node.getNodeType());
        }
        String value = node.asText();
        if (value.isBlank()) {
            throw new DatasetImportException(null, row.line(), field, "empty value");
        }
        return value;
    }

    /** a required list of texts; a single string counts as a one-element list */
    private static List<String> texts(Row row, String field) {
        JsonNode node = row.fields().get(field);
        if (node == null || node.isNull()) {
            throw new DatasetImportException(null, row.line(), field, "missing field");
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw new DatasetImportException(null, row.line(), field, "expected a list of texts, found " + node.getNodeType());
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.isNull()) {
                throw new DatasetImportException(null, row.line(), field, "expected a list of texts, found an element of type " + element.getNodeType());
            }
            values.add(element.asText());
        }
        return values;
    }

    private static List<String> nonEmpty(Row row, String field, List<String> values) {
        if (values.isEmpty()) {
            throw new DatasetImportException(null, row.line(), field, "no tests");
        }
        return values;
    }

    private static Map<String, Object> metadata(Row row, String... fields) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String field : fields) {
            JsonNode node = row.fields().get(field);
            if (node != null && node.isValueNode() && !node.isNull()) {
                metadata.put(field, node.isNumber() ? node.numberValue() : node.asText());
            }
        }
        return metadata;
    }
}
