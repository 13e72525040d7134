package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.List;

/**
 * LLM spend as it happens: an evaluator publishes one report per paid attempt (or small group of attempts) while a
 * job runs, so work lost with a killed evaluator, failed attempts and hung calls are still counted. The run's cost
 * is the sum of its reports; {@code reportId} is unique per report (not per job: a redone job pays again), so a
 * report redelivered by Kafka is counted once. {@code requestId} is the job that paid.
 */
public record UsageReport(@NotBlank String reportId, @NotBlank String runId, @NotBlank String requestId,
                          @NotNull List<@Valid Usage> usage) {
}
