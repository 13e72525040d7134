package ai.maspo.protocol;

/** What one agent saw and said on one question: the context from its predecessors, its raw and its short (compressed) output. */
public record AgentTrace(String agentId, String context, String output, String shortOutput) {
}
