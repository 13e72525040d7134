package ai.maspo.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The checkers an evaluator knows, by their wire names in {@link TaskDefinition#checker()} (see {@link AnswerExtraction}). */
public enum AnswerCheck {
    @JsonProperty("exact") EXACT,
    @JsonProperty("choice") CHOICE,
    @JsonProperty("unit_tests") UNIT_TESTS,
    @JsonProperty("llm_judge") LLM_JUDGE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
