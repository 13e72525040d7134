package ai.maspo.orchestrator.messaging;

import ai.maspo.orchestrator.service.Reply;
import ai.maspo.orchestrator.tracing.CommandTracing;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Answers from the evaluators and the sampler, consumed in batches (whatever one poll returns): each batch is
 * applied in one transaction ({@link ai.maspo.orchestrator.service.ReplyIngest}, transient failures retried in place by
 * {@link RetriedIngest}) before it is acknowledged, so a crash replays it and the
 * idempotent ingest ignores what it already stored. A record that does not parse or breaks the contract goes to
 * the dead-letter topic on its own; the rest of its batch is applied.
 */
@ApplicationScoped
public class ReplyConsumer {

    private final RetriedIngest ingest;
    private final DeadLetters deadLetters;
    private final WireCodec codec;
    private final CommandTracing tracing;

    ReplyConsumer(RetriedIngest ingest, DeadLetters deadLetters, ObjectMapper mapper, Validator validator,
                  CommandTracing tracing) {
        this.ingest = ingest;
        this.tracing = tracing;
        this.deadLetters = deadLetters;
        this.codec = new WireCodec(mapper, validator);
    }

    @Incoming("evaluation-results")
    @Blocking
    public void onResults(ConsumerRecords<String, String> records) {
        traced(records, Topics.EVALUATION_RESULTS,
                () -> ingest.ingest(decode(records, json -> Reply.of(codec.decode(json, EvaluationResult.class), codec))));
    }

    @Incoming("minibatches")
    @Blocking
    public void onMinibatches(ConsumerRecords<String, String> records) {
        traced(records, Topics.MINIBATCHES,
                () -> ingest.ingest(decode(records, json -> Reply.of(codec.decode(json, Minibatch.class), codec))));
    }

    private void traced(ConsumerRecords<String, String> records, String topic, Runnable work) {
        Span span = tracing.ingesting(records, topic);
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    private List<Reply> decode(ConsumerRecords<String, String> records, Function<String, Reply> parse) {
        List<Reply> replies = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                replies.add(parse.apply(record.value()));
            } catch (WireCodec.MalformedMessageException e) {
                deadLetters.send(record, e);
            }
        }
        return replies;
    }
}
