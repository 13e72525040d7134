package ai.maspo.evaluator.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the final answer is read from the terminal agent's output (wire names as in {@code TaskDefinition.extraction}). */
public enum ExtractionRule {
    ANSWER_TAG("answer_tag"),
    BOXED("boxed"),
    CHOICE_LETTER("choice_letter"),
    CODE_BLOCK("code_block"),
    LAST_LINE("last_line");

    private final String wireName;

    ExtractionRule(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the accepted values when {@code name} is unknown */
    public static ExtractionRule fromWire(String name) {
        for (ExtractionRule rule : values()) {
            if (rule.wireName.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown extraction rule '" + name + "', expected one of "
                + Arrays.stream(values()).map(ExtractionRule::wireName).collect(Collectors.joining(", ")));
    }
}
