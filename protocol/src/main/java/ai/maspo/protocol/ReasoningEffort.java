package ai.maspo.protocol;

/** How much a reasoning model may think before it answers (the OpenAI {@code reasoning_effort} parameter). */
public enum ReasoningEffort {
    LOW, MEDIUM, HIGH;

    /** The value of the request parameter. */
    public String wireName() {
        return name().toLowerCase();
    }
}
