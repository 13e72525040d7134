package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * One evaluation job. {@code requestId} is deterministic (derived from run and search position), so a
 * redelivered or re-sent request is recognised; {@code seed} is passed on to the LLM requests.
 */
public record EvaluationRequest(@NotBlank String requestId, @NotBlank String runId, long seed,
                                @NotNull @Valid MasDefinition mas, @NotNull @Valid ModelRoles models,
                                @NotNull @Valid EvaluationJob job) {
}
