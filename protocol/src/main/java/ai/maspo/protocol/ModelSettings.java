package ai.maspo.protocol;

import jakarta.validation.constraints.NotBlank;

/**
 * The model and temperature of one model role in a run. Endpoints and API keys are evaluator
 * configuration, never part of a run or a message: a run spec must not be able to send our keys elsewhere.
 */
public record ModelSettings(@NotBlank String model, double temperature) {
}
