package ai.maspo.protocol;

import jakarta.validation.constraints.NotBlank;

/** A dependency of the MAS graph: {@code to} reads {@code from}'s output as context. */
public record Edge(@NotBlank String from, @NotBlank String to) {
}
