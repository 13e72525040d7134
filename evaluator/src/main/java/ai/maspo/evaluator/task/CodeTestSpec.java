package ai.maspo.evaluator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The unit tests of a code question, as stored by the dataset import ({@code testSpec} JSON):
 * {@code {"imports":["import math"], "tests":["assert f(1) == 2"], "entryPoint":"f", "stub":"def f(x):\n    \"\"\"…\"\"\"\n"}}.
 *
 * @param imports    statements run before the candidate (MBPP {@code test_imports})
 * @param tests      Python statements, usually asserts, run by the sandbox's trusted harness against the candidate
 * @param entryPoint the function under test, or null
 * @param stub       code the candidate completes (HumanEval {@code prompt}); prepended when the candidate
 *                   does not define {@code entryPoint} itself (a body-only completion), or null
 */
public record CodeTestSpec(List<String> imports, List<String> tests, String entryPoint, String stub) {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public CodeTestSpec {
        imports = imports == null ? List.of() : List.copyOf(imports);
        tests = tests == null ? List.of() : List.copyOf(tests);
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("a code test spec needs at least one test");
        }
    }

    /** @throws IllegalArgumentException when the JSON is not a test spec */
    public static CodeTestSpec fromJson(String json) {
        try {
            return JSON.readValue(json, CodeTestSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid code test spec: " + e.getOriginalMessage(), e);
        }
    }

    /** The module the candidate process runs: imports, then the (completed) candidate. */
    public String candidateModule(String candidate) {
        StringBuilder module = new StringBuilder();
        imports.forEach(line -> module.append(line).append('\n'));
        module.append('\n');
        if (stub != null && !definesEntryPoint(candidate)) {
            module.append(stub);
        }
        return module.append(candidate).append('\n').toString();
    }

    /** What the trusted harness runs, one statement after the other: the imports again (its own), then the tests. */
    public List<String> harnessStatements() {
        return Stream.concat(imports.stream(), tests.stream()).toList();
    }

    private boolean definesEntryPoint(String candidate) {
        return entryPoint == null
                || Pattern.compile("(?m)^\\s*def\\s+" + Pattern.quote(entryPoint) + "\\s*\\(").matcher(candidate).find();
    }
}
