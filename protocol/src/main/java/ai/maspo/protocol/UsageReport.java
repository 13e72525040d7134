package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * LLM spend as it happens: an evaluator reports each attempt's call before it sends the request (one report per job
 * and wave of attempts), then its tokens and time in later reports, so work lost with a killed evaluator, failed
 * attempts and hung calls are still counted. Reports are additive: the run's cost is the sum of its reports; {@code reportId} is unique per report (not per job: a redone job pays again), so a
 * report redelivered by Kafka is counted once. {@code requestId} is the job that paid. The sizes are those the ledger
 * stores: a longer value is a malformed report, dead-lettered on its own, not a batch that fails.
 */
public record UsageReport(@NotBlank @Size(max = 100) String reportId, @NotBlank @Size(max = 64) String runId,
                          @NotBlank @Size(max = 300) String requestId,
                          @NotNull List<@Valid Usage> usage) {
}
