package ai.maspo.orchestrator.messaging;

import ai.maspo.orchestrator.service.Reply;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    ReplyConsumer(RetriedIngest ingest, DeadLetters deadLetters, ObjectMapper mapper, Validator validator) {
        this.ingest = ingest;
        this.deadLetters = deadLetters;
        this.codec = new WireCodec(mapper, validator);
    }

    @Incoming("evaluation-results")
    @Blocking
    public void onResults(ConsumerRecords<String, String> records) {
        ingest.ingest(decode(records, json -> Reply.of(codec.decode(json, EvaluationResult.class), codec)));
    }

    @Incoming("minibatches")
    @Blocking
    public void onMinibatches(ConsumerRecords<String, String> records) {
        ingest.ingest(decode(records, json -> Reply.of(codec.decode(json, Minibatch.class), codec)));
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
