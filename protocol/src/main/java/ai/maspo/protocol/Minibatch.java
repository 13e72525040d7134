package ai.maspo.protocol;

import java.util.List;

/** The sampler's answer; {@code injectedQuestionIds} are the questions taken from misalignment memory. */
public record Minibatch(String requestId, String runId, String agentId, int layer, List<Question> questions,
                        List<String> injectedQuestionIds) {
}
