package ai.maspo.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Messages to the sampler. They share one topic keyed by run, so a pool is always registered before it is drawn from. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RegisterPool.class, name = "register-pool"),
        @JsonSubTypes.Type(value = MinibatchRequest.class, name = "minibatch-request"),
        @JsonSubTypes.Type(value = RecordMisalignment.class, name = "record-misalignment"),
})
public sealed interface SamplerCommand permits RegisterPool, MinibatchRequest, RecordMisalignment {
    String runId();
}
