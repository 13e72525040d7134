package ai.maspo.protocol;

import java.util.List;
import java.util.Map;

/** Traces per beam node (node id → one trace per question, in the job's question order). */
public record BaselineTraces(Map<String, List<QuestionTrace>> traces) implements EvaluationOutcome {
}
