package ai.maspo.protocol;

import java.util.List;

/**
 * One run of the MAS on one question: per-agent traces in execution order and the extracted final answer.
 * {@code correct} is null when the question carries no reference.
 */
public record QuestionTrace(String questionId, List<AgentTrace> agents, String finalAnswer, Boolean correct) {
}
