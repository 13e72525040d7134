package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/**
 * The answer to one {@link EvaluationRequest}. A FAILED result carries the error after the evaluator's bounded
 * retries and no outcome: a failure is recorded, never turned into a score.
 */
public record EvaluationResult(@NotBlank String requestId, @NotBlank String runId, @NotNull ResultStatus status,
                               String error, @Valid EvaluationOutcome outcome, @NotNull List<Usage> usage) {
}
