package ai.maspo.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The work an evaluator is asked to do; the {@code type} property names the kind on the wire. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RunMasJob.class, name = "run-mas"),
        @JsonSubTypes.Type(value = BaselineJob.class, name = "baseline"),
        @JsonSubTypes.Type(value = ProposeJob.class, name = "propose"),
        @JsonSubTypes.Type(value = ScoreCandidateJob.class, name = "score-candidate"),
})
public sealed interface EvaluationJob permits RunMasJob, BaselineJob, ProposeJob, ScoreCandidateJob {
}
