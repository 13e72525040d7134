package ai.maspo.protocol;

import jakarta.validation.constraints.NotBlank;

/**
 * One question of a run. {@code reference} is the labelled answer (test set only; null in the
 * optimization pool, which needs no labels). {@code tests} holds executable checks for code tasks.
 */
public record Question(@NotBlank String id, @NotBlank String text, String reference, String tests) {
}
