package ai.maspo.evaluator.task;

/**
 * @param correct         whether the answer counts as correct
 * @param extractedAnswer the answer read from the output by the task's extraction rule, null when none
 * @param detail          why, in a few words (normalized forms, sandbox outcome, judge verdict)
 */
public record CheckResult(boolean correct, String extractedAnswer, String detail) {
}
