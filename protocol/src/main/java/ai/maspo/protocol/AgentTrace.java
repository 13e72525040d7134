package ai.maspo.protocol;

/**
 * What one agent saw and said on one question: the context from its predecessors, its output and its short
 * (compressed) output, both without reasoning, and the reasoning the model gave with its output (a
 * {@code reasoning_content} field or {@code <think>} blocks; null when none), kept for inspection only: no parser,
 * judge, successor or optimizer reads it.
 */
public record AgentTrace(String agentId, String context, String output, String shortOutput, String reasoning) {

    /** A trace without reasoning. */
    public AgentTrace(String agentId, String context, String output, String shortOutput) {
        this(agentId, context, output, shortOutput, null);
    }
}
