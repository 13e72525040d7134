package ai.maspo.orchestrator.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One step of the coordinate-ascent schedule. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ScheduleStep.Layer.class, name = "layer"),
        @JsonSubTypes.Type(value = ScheduleStep.Refresh.class, name = "refresh"),
})
public sealed interface ScheduleStep {

    String agent();

    /** Layer {@code layer} (1-based, counted per agent up to D) of {@code agent}. */
    record Layer(String agent, int layer) implements ScheduleStep {
    }

    /** Beam refresh before visit {@code visit} (1-based; the first visit never refreshes) of {@code agent}. */
    record Refresh(String agent, int visit) implements ScheduleStep {
    }
}
