package ai.maspo.protocol;

import java.util.List;

public record MasTraces(List<QuestionTrace> traces) implements EvaluationOutcome {
}
