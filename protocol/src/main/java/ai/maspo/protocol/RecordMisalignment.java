package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/**
 * Remember these questions for {@code agentId}'s successors' mini-batches. Sent on the ordered sampler topic, so
 * it is stored before any later mini-batch request of the run is drawn. Recording the same case twice keeps one.
 */
public record RecordMisalignment(@NotBlank String runId, @NotBlank String agentId, int layer,
                                 @NotNull List<@Valid Case> cases) implements SamplerCommand {

    /** {@code priority}: lower is more telling (e.g. 0 = lost both downstream checks). */
    public record Case(@NotBlank String questionId, int priority) {
    }
}
