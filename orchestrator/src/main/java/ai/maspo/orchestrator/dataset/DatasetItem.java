package ai.maspo.orchestrator.dataset;

import java.util.Map;

/**
 * One imported question.
 *
 * @param id        the source's own id when it has one (MATH-500 unique_id, MBPP/HumanEval task_id), else derived from the line
 * @param text      what the agents are asked
 * @param reference the labelled answer (an option letter, a LaTeX answer, reference code), or null
 * @param testSpec  for code tasks, the unit tests as JSON
 *                  {@code {"imports":[…],"tests":[…],"entryPoint":…,"stub":…}} (read by the evaluator's CodeTestSpec), else null
 * @param metadata  source fields kept for reporting (subject, level, …)
 * @param line      the 1-based line of the source it came from, for error messages
 */
public record DatasetItem(String id, String text, String reference, String testSpec, Map<String, Object> metadata, int line) {

    public boolean labelled() {
        return (reference != null && !reference.isBlank()) || testSpec != null;
    }
}
