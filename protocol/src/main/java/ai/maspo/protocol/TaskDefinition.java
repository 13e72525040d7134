package ai.maspo.protocol;

import jakarta.validation.constraints.NotNull;

/**
 * What the system is asked to do and how answers are read and checked.
 *
 * @param extraction  the answer extraction rule ({@code answer_tag}, {@code boxed}, {@code choice_letter}, {@code code_block}, {@code last_line})
 * @param requirement the optimization requirement shown to the optimizer
 * @param checker     how correctness on the test set is decided ({@code exact}, {@code choice}, {@code unit_tests}, {@code llm_judge})
 */
public record TaskDefinition(@NotNull TaskType type, String extraction, String requirement, String checker) {
}
