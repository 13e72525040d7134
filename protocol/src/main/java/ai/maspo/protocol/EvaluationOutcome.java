package ai.maspo.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What an evaluator found; one kind per job kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MasTraces.class, name = "mas-traces"),
        @JsonSubTypes.Type(value = BaselineTraces.class, name = "baseline-traces"),
        @JsonSubTypes.Type(value = Proposal.class, name = "proposal"),
        @JsonSubTypes.Type(value = Judgements.class, name = "judgements"),
})
public sealed interface EvaluationOutcome permits MasTraces, BaselineTraces, Proposal, Judgements {
}
