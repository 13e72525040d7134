package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import java.util.List;

/** The optimization pool of a run (no labels needed). Registering the same pool twice changes nothing. */
public record RegisterPool(@NotBlank String runId, @NotEmpty List<@Valid Question> pool) implements SamplerCommand {
}
