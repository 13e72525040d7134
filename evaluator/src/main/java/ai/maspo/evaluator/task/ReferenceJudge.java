package ai.maspo.evaluator.task;

/**
 * Decides whether an answer agrees with a reference answer. The evaluator wiring implements it with
 * the judge model role, using {@link JudgePrompts#correctnessPrompt} and {@link JudgePrompts#parseVerdict}.
 */
@FunctionalInterface
public interface ReferenceJudge {
    boolean judge(String question, String reference, String answer);
}
