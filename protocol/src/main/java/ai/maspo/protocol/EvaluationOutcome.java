package ai.maspo.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What an evaluator found; one kind per job kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MasTraces.class, name = "mas-traces"),
})
public sealed interface EvaluationOutcome permits MasTraces {
}
