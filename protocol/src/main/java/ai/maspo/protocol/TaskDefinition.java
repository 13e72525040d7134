package ai.maspo.protocol;

/**
 * What the system is asked to do and how answers are read and checked.
 *
 * @param extraction  the answer extraction rule (e.g. {@code answer_tag}, {@code boxed}, {@code choice_letter}, {@code code_block})
 * @param requirement the optimization requirement shown to the optimizer
 * @param checker     how correctness on the test set is decided (e.g. {@code exact}, {@code choice}, {@code unit_tests}, {@code llm_judge})
 */
public record TaskDefinition(TaskType type, String extraction, String requirement, String checker) {
}
