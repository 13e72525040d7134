package ai.maspo.evaluator.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How correctness is decided (wire names as in {@code TaskDefinition.checker}). */
public enum CheckerKind {
    EXACT("exact"),
    CHOICE("choice"),
    UNIT_TESTS("unit_tests"),
    LLM_JUDGE("llm_judge");

    private final String wireName;

    CheckerKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the accepted values when {@code name} is unknown */
    public static CheckerKind fromWire(String name) {
        for (CheckerKind kind : values()) {
            if (kind.wireName.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown checker '" + name + "', expected one of "
                + Arrays.stream(values()).map(CheckerKind::wireName).collect(Collectors.joining(", ")));
    }
}
