package ai.maspo.protocol;

import java.util.List;

public record EvaluationResult(String requestId, String runId, ResultStatus status, String error,
                               EvaluationOutcome outcome, List<Usage> usage) {
}
