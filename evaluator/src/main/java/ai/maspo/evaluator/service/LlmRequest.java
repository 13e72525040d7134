package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;

/**
 * One chat completion as it will be sent (from {@link LlmCaller#request}): the role, the endpoint's name (its base
 * URL) and the final JSON body, which holds model, messages and every parameter, so everything its answer depends
 * on. {@code reproducible}: temperature 0 or an explicit seed, so the same request may be answered from a cache;
 * {@code estimatedTokens}: what the endpoint's token limit takes before the answer tells.
 */
public record LlmRequest(ModelRole role, String endpoint, String model, String body, boolean reproducible,
                         long estimatedTokens) {
}
