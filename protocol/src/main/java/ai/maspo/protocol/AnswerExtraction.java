package ai.maspo.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The extraction rules an evaluator knows, by their wire names in {@link TaskDefinition#extraction()}. Kept here so
 * the orchestrator refuses an unknown rule at submit time instead of the evaluator failing after the search was paid.
 */
public enum AnswerExtraction {
    @JsonProperty("answer_tag") ANSWER_TAG,
    @JsonProperty("boxed") BOXED,
    @JsonProperty("choice_letter") CHOICE_LETTER,
    @JsonProperty("code_block") CODE_BLOCK,
    @JsonProperty("last_line") LAST_LINE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
