package ai.maspo.orchestrator.service;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/**
 * One step of a run's search history as the API shows it: the engine's entry as it was stored (the fields of a
 * {@link ai.maspo.orchestrator.search.HistoryEntry}, {@code type} first), then when it was stored and what the run
 * had paid by then.
 */
@JsonPropertyOrder({"entry", "recordedAt", "paidCallsSoFar"})
@Schema(description = "One step of the search: type (layer or refresh), agent, layer or visit, status, mini-batch, "
        + "beams before and after, scored candidates, rejected proposals, best node, misalignment counts; then "
        + "recordedAt and paidCallsSoFar", additionalProperties = Schema.True.class)
public record HistoryStep(
        @JsonAnyGetter @Schema(hidden = true) Map<String, JsonNode> entry,
        @Schema(description = "When the step was stored; null for steps stored by an orchestrator before search "
                + "state format 2, which did not record it")
        Instant recordedAt,
        @Schema(description = "Paid LLM calls of the run (all roles) in the usage ledger when the step was stored; "
                + "the ledger may trail by the usage reports still in flight. Null like recordedAt")
        Long paidCallsSoFar) {
}
