package ai.maspo.orchestrator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.maspo.orchestrator.dataset.ImportRequest.Source;
import ai.maspo.orchestrator.dataset.ImportRequest.Split;
import ai.maspo.protocol.TaskType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetImporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DatasetImporter importer = new DatasetImporter(new PathRoots(List.of(SharedDatasets.root())));

    static Stream<Arguments> realFiles() {
        return Stream.of(
                Arguments.of("math500", "math-500/math_500.jsonl", 500),
                Arguments.of("agieval_math", "AGIEval_MATH/test.jsonl", 256),
                Arguments.of("aqua_rat", "aqua/test.jsonl", 254),
                Arguments.of("aqua_rat", "aqua/val.jsonl", 254),
                Arguments.of("gpqa_diamond", "gpqa/gpqa_diamond.jsonl", 198),
                Arguments.of("mbpp", "mbpp/sanitized-mbpp.jsonl", 427),
                Arguments.of("humaneval_et", "humaneval-et/HumanEval_ET.jsonl", 164));
    }

    @ParameterizedTest
    @MethodSource("realFiles")
    void everyRowOfTheRealFileImportsIntoDisjointSplits(String format, String file, int rows) {
        ImportedDataset dataset = importer.importDataset(new ImportRequest("d", format, SharedDatasets.path(file), null, null,
                new Split(50, null, 7L, null, null)));
        assertThat(dataset.pool()).hasSize(50);
        assertThat(dataset.pool().size() + dataset.test().size() + dataset.duplicatesDropped()).isEqualTo(rows);
        assertThat(dataset.duplicatesDropped()).isZero();
        assertThat(ids(dataset.pool())).doesNotContainAnyElementsOf(ids(dataset.test()));
        assertThat(Stream.concat(dataset.pool().stream(), dataset.test().stream()))
                .allSatisfy(item -> {
                    assertThat(item.text()).isNotBlank();
                    assertThat(item.labelled()).isTrue();
                });
    }

    @Test
    void formatsReadTheirFieldsAsDocumented() throws Exception {
        DatasetItem math = first("math500", "math-500/math_500.jsonl");
        assertThat(math.id()).isEqualTo("test/precalculus/807.json");
        assertThat(math.reference()).isEqualTo("\\left( 3, \\frac{\\pi}{2} \\right)");
        assertThat(math.metadata()).containsEntry("subject", "Precalculus").containsEntry("level", 2);

        DatasetItem aqua = first("aqua_rat", "aqua/val.jsonl");
        assertThat(aqua.text()).startsWith("Three birds are flying").contains("\nA)32400\nB)6000\n").endsWith("E)10");
        assertThat(aqua.reference()).isEqualTo("A");

        DatasetItem gpqa = first("gpqa_diamond", "gpqa/gpqa_diamond.jsonl");
        assertThat(gpqa.reference()).isEqualTo("D");
        assertThat(gpqa.text()).contains("\nD. c");

        DatasetItem mbpp = first("mbpp", "mbpp/sanitized-mbpp.jsonl");
        assertThat(mbpp.id()).isEqualTo("mbpp/2");
        assertThat(mbpp.text()).contains("shared elements", "assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))");
        JsonNode mbppSpec = JSON.readTree(mbpp.testSpec());
        assertThat(mbppSpec.get("tests")).hasSize(3);
        assertThat(mbppSpec.get("imports")).isEmpty();
        assertThat(mbppSpec.get("stub").isNull()).isTrue();

        DatasetItem humanEval = first("humaneval_et", "humaneval-et/HumanEval_ET.jsonl");
        assertThat(humanEval.id()).isEqualTo("HumanEval/0");
        JsonNode heSpec = JSON.readTree(humanEval.testSpec());
        assertThat(heSpec.get("entryPoint").asText()).isEqualTo("has_close_elements");
        assertThat(heSpec.get("stub").asText()).isEqualTo(humanEval.text()).startsWith("from typing import List");
        assertThat(heSpec.get("tests").size()).isGreaterThan(10);
        assertThat(DatasetFormat.HUMANEVAL_ET.suggestedTask().type()).isEqualTo(TaskType.CODE);
    }

    @Test
    void mbppTestImportsAreKept() throws Exception {
        ImportedDataset all = importer.importDataset(new ImportRequest("m", "mbpp", SharedDatasets.path("mbpp/sanitized-mbpp.jsonl"),
                null, null, new Split(1, null, 0L, null, null)));
        long withMath = Stream.concat(all.pool().stream(), all.test().stream())
                .filter(item -> item.testSpec().contains("\"imports\":[\"import math\"]")).count();
        assertThat(withMath).isEqualTo(13);
    }

    @Test
    void aquaSplitFilesGiveValForThePoolAndTestForTesting() {
        ImportedDataset dataset = importer.importDataset(new ImportRequest("aqua", "aqua_rat", null, null, null,
                new Split(50, null, 3L, new Source(SharedDatasets.path("aqua/val.jsonl"), null),
                        new Source(SharedDatasets.path("aqua/test.jsonl"), null))));
        assertThat(dataset.pool()).hasSize(50).allSatisfy(item -> assertThat(item.id()).startsWith("pool-line-"));
        assertThat(dataset.test()).hasSize(254).allSatisfy(item -> assertThat(item.id()).startsWith("test-line-"));
        assertThat(dataset.test().getFirst().text()).startsWith("A car is being driven");
    }

    @Test
    void seededSplitIsReproducibleAndTheSeedMatters() {
        ImportRequest request = new ImportRequest("g", "gpqa_diamond", SharedDatasets.path("gpqa/gpqa_diamond.jsonl"), null, null,
                new Split(50, 100, 11L, null, null));
        ImportedDataset first = importer.importDataset(request);
        ImportedDataset again = importer.importDataset(request);
        ImportedDataset otherSeed = importer.importDataset(new ImportRequest("g", "gpqa_diamond",
                SharedDatasets.path("gpqa/gpqa_diamond.jsonl"), null, null, new Split(50, 100, 12L, null, null)));
        assertThat(ids(first.pool())).containsExactlyElementsOf(ids(again.pool()));
        assertThat(ids(first.test())).containsExactlyElementsOf(ids(again.test())).hasSize(100);
        assertThat(ids(first.pool())).isNotEqualTo(ids(otherSeed.pool()));
        assertThat(ids(first.pool())).doesNotContainAnyElementsOf(ids(first.test()));
    }

    @Test
    void defaultsAreAPoolOf50AndTheRestForTesting() {
        ImportedDataset dataset = importer.importDataset(new ImportRequest("s", "simulator", null,
                simulatorLines(60), null, null));
        assertThat(dataset.pool()).hasSize(50);
        assertThat(dataset.test()).hasSize(10);
        assertThat(dataset.seed()).isZero();
        assertThat(dataset.test().getFirst().id()).startsWith("#q");
    }

    @Test
    void genericFormatFollowsTheFieldMapping() {
        String content = """
                {"qid":"a1","prompt":"Pick one","choices":["A) 1","B) 2"],"label":"B"}
                {"qid":"a2","prompt":"Pick again","choices":["A) 3","B) 4"],"label":"A"}
                {"qid":"a3","prompt":"Last","choices":"A) yes  B) no","label":"A"}
                """;
        FieldMapping mapping = new FieldMapping("qid", "prompt", "label", "choices", null, null, null, null);
        ImportedDataset dataset = importer.importDataset(new ImportRequest("gen", "generic", null, content, mapping,
                new Split(1, null, 0L, null, null)));
        List<DatasetItem> all = Stream.concat(dataset.pool().stream(), dataset.test().stream()).toList();
        assertThat(all).extracting(DatasetItem::id).containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(all).filteredOn(item -> item.id().equals("a1")).singleElement()
                .satisfies(item -> {
                    assertThat(item.text()).isEqualTo("Pick one\nA) 1\nB) 2");
                    assertThat(item.reference()).isEqualTo("B");
                });
    }

    @Test
    void genericCodeTasksGetATestSpec() throws Exception {
        String content = """
                {"name":"inc","tests":["assert inc(1) == 2"],"fn":"inc","q":"Write inc(x)."}
                {"name":"dec","tests":"assert dec(1) == 0","fn":"dec","q":"Write dec(x)."}
                """;
        FieldMapping mapping = new FieldMapping("name", "q", null, null, "tests", null, "fn", null);
        ImportedDataset dataset = importer.importDataset(new ImportRequest("code", "generic", null, content, mapping,
                new Split(1, null, 0L, null, null)));
        JsonNode spec = JSON.readTree(dataset.test().getFirst().testSpec());
        assertThat(spec.get("tests")).hasSize(1);
        assertThat(spec.get("entryPoint").asText()).isIn("inc", "dec");
    }

    @Test
    void malformedLineIsNamed() {
        String content = simulatorLines(3) + "{\"id\":\"#q9\",\"question\":\"x\"\n";
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", null, content, null, null)), 4, null, "not valid JSON");
    }

    @Test
    void missingFieldIsNamedWithItsLine() {
        String content = simulatorLines(2) + "{\"id\":\"#q9\",\"question\":\"what?\"}\n";
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", null, content, null, null)), 3, "answer", "missing field");
    }

    @Test
    void wrongFieldTypeIsNamed() {
        String content = "{\"task_id\":1,\"prompt\":\"p\",\"code\":\"c\",\"test_imports\":[],\"test_list\":{\"a\":1}}\n";
        assertImportError(() -> importer.importDataset(new ImportRequest("m", "mbpp", null, content, null, null)), 1, "test_list", "expected a list");
    }

    @Test
    void errorInASplitFileNamesTheFile() {
        ImportRequest request = new ImportRequest("s", "simulator", null, null, null,
                new Split(null, null, null, new Source(null, simulatorLines(3)), new Source(null, "{\"id\":\"x\",\"answer\":\"1\"}")));
        assertThatThrownBy(() -> importer.importDataset(request)).isInstanceOfSatisfying(DatasetImportException.class, e -> {
            assertThat(e.source()).isEqualTo("split.test");
            assertThat(e.getMessage()).isEqualTo("split.test line 1 field 'question': missing field");
        });
    }

    @Test
    void badRequestsNameTheirField() {
        String content = simulatorLines(5);
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "csv", null, content, null, null)), null, "format", "unknown format 'csv'");
        assertImportError(() -> importer.importDataset(new ImportRequest(" ", "simulator", null, content, null, null)), null, "name", "required");
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", null, content, null,
                new Split(5, null, null, null, null))), null, "split.poolSize", "leave no test questions");
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", null, content, null,
                new Split(2, 4, null, null, null))), null, "split.testSize", "exceeds");
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", "/etc/passwd", content, null, null)),
                null, "content", "not both");
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", null, content,
                new FieldMapping(null, "q", null, null, null, null, null, null), null)), null, "fields", "only read by the generic format");
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "generic", null, content, null, null)), null, "fields.text", "field mapping");
    }

    @Test
    void pathsOutsideTheRootsAreRefused() {
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", "/etc/passwd", null, null, null)),
                null, "path", "outside the allowed dataset roots");
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator",
                SharedDatasets.root().resolve("../datasets/nothing.jsonl").toString(), null, null, null)), null, "path", "no such file");
        DatasetImporter noRoots = new DatasetImporter(new PathRoots(List.of()));
        assertImportError(() -> noRoots.importDataset(new ImportRequest("s", "math500", SharedDatasets.path("math-500/math_500.jsonl"),
                null, null, null)), null, "path", "disabled");
    }

    @Test
    void duplicateQuestionsAreKeptOnceSoTheyCannotLandOnBothSides() {
        String content = """
                {"id":"#q1","question":"#q1 same","answer":"1"}
                {"id":"#q2","question":"#q1 same","answer":"1"}
                {"id":"#q3","question":"#q3 other","answer":"2"}
                """;
        ImportedDataset dataset = importer.importDataset(new ImportRequest("s", "simulator", null, content, null, new Split(1, null, 0L, null, null)));
        assertThat(dataset.duplicatesDropped()).isEqualTo(1);
        assertThat(dataset.pool().size() + dataset.test().size()).isEqualTo(2);
    }

    @Test
    void repeatedIdsAndOverlappingSplitFilesAreRefused() {
        String repeated = "{\"id\":\"#q1\",\"question\":\"a\",\"answer\":\"1\"}\n{\"id\":\"#q1\",\"question\":\"b\",\"answer\":\"2\"}\n";
        assertImportError(() -> importer.importDataset(new ImportRequest("s", "simulator", null, repeated, null, new Split(1, null, 0L, null, null))),
                null, "id", "repeats line");
        ImportRequest overlapping = new ImportRequest("s", "simulator", null, null, null, new Split(null, null, null,
                new Source(null, simulatorLines(3)), new Source(null, "{\"id\":\"x\",\"question\":\"#q0001 what is 1 + 1?\",\"answer\":\"2\"}")));
        assertImportError(() -> importer.importDataset(overlapping), 1, null, "also in the pool");
    }

    @Test
    void unlabelledTestQuestionsAreRefused() {
        String content = "{\"qid\":\"1\",\"q\":\"a\"}\n{\"qid\":\"2\",\"q\":\"b\"}\n";
        assertImportError(() -> importer.importDataset(new ImportRequest("g", "generic", null, content,
                new FieldMapping("qid", "q", null, null, null, null, null, null), new Split(1, null, 0L, null, null))), null, "reference", "need a reference");
    }

    private static void assertImportError(ThrowingCallable call, Integer line, String field, String reasonPart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DatasetImportException.class, e -> {
            if (line != null) {
                assertThat(e.line()).isEqualTo(line);
            }
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(reasonPart);
        });
    }

    private DatasetItem first(String format, String file) {
        ImportedDataset dataset = importer.importDataset(new ImportRequest("d", format, SharedDatasets.path(file), null, null, null));
        return Stream.concat(dataset.pool().stream(), dataset.test().stream()).filter(item -> item.line() == 1).findFirst().orElseThrow();
    }

    static String simulatorLines(int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            lines.append("{\"id\":\"#q%04d\",\"question\":\"#q%04d what is %d + 1?\",\"answer\":\"%d\"}\n".formatted(i, i, i, i + 1));
        }
        return lines.toString();
    }

    private static Set<String> ids(List<DatasetItem> items) {
        Set<String> ids = new HashSet<>();
        items.forEach(item -> ids.add(item.id()));
        return ids;
    }
}
