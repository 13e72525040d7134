package ai.maspo.protocol;

import java.util.List;

/** The optimization pool of a run (no labels needed). Registering the same pool twice changes nothing. */
public record RegisterPool(String runId, List<Question> pool) implements SamplerCommand {
}
