package ai.maspo.orchestrator.service;

import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.WireCodec;

/**
 * An answer from the sampler or an evaluator, as the run's ingest sees it: {@code body} is the reply (JSON) when it
 * succeeded, the error otherwise. Its LLM cost arrives separately, as usage reports.
 */
public record Reply(String requestId, String runId, boolean succeeded, String body) {

    public static Reply of(EvaluationResult result, WireCodec codec) {
        boolean ok = result.status() == ResultStatus.SUCCEEDED;
        return new Reply(result.requestId(), result.runId(), ok, ok ? codec.encode(result.outcome()) : result.error());
    }

    public static Reply of(Minibatch minibatch, WireCodec codec) {
        return new Reply(minibatch.requestId(), minibatch.runId(), true, codec.encode(minibatch));
    }
}
