package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.protocol.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Transactional outbox: a command is stored with the state change that needs it and published only once that
 * transaction commits. If the process dies in between, {@link Redispatcher} sends what is still pending.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final TransactionSynchronizationRegistry transactions;
    private final MutinyEmitter<Record<String, String>> evaluationRequests;
    private final MutinyEmitter<Record<String, String>> samplerCommands;

    Dispatcher(TransactionSynchronizationRegistry transactions,
               @Channel("evaluation-requests") MutinyEmitter<Record<String, String>> evaluationRequests,
               @Channel("minibatch-requests") MutinyEmitter<Record<String, String>> samplerCommands) {
        this.transactions = transactions;
        this.evaluationRequests = evaluationRequests;
        this.samplerCommands = samplerCommands;
    }

    /** Stores a command in the current transaction and publishes it after commit. */
    public void dispatch(String runId, String requestId, String commandId, String kind, String topic, String key,
                         String payload, boolean awaitsReply) {
        DispatchEntity d = new DispatchEntity();
        d.requestId = requestId;
        d.runId = runId;
        d.commandId = commandId;
        d.kind = kind;
        d.topic = topic;
        d.messageKey = key;
        d.payload = payload;
        d.awaitsReply = awaitsReply;
        d.status = awaitsReply ? DispatchEntity.Status.PENDING : DispatchEntity.Status.SENT;
        d.sentAt = Instant.now();
        d.persist();
        afterCommit().add(d);
    }

    /**
     * The commands of the current transaction, in the order they were stored; one synchronization publishes
     * them all after commit, so their order on the wire is their order here (a pool before its mini-batches).
     */
    @SuppressWarnings("unchecked")
    private List<DispatchEntity> afterCommit() {
        List<DispatchEntity> pending = (List<DispatchEntity>) transactions.getResource(Dispatcher.class);
        if (pending == null) {
            List<DispatchEntity> created = new ArrayList<>();
            transactions.putResource(Dispatcher.class, created);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        publishAll(created);
                    }
                }
            });
            pending = created;
        }
        return pending;
    }

    /** Publishes stored commands, in the given order. */
    public void publishAll(List<DispatchEntity> dispatches) {
        dispatches.forEach(d -> publish(d.topic, d.messageKey, d.payload));
    }

    private void publish(String topic, String key, String payload) {
        MutinyEmitter<Record<String, String>> emitter = switch (topic) {
            case Topics.EVALUATION_REQUESTS -> evaluationRequests;
            case Topics.MINIBATCH_REQUESTS -> samplerCommands;
            default -> throw new IllegalArgumentException("no channel for topic " + topic);
        };
        emitter.send(Record.of(key, payload)).subscribe().with(
                ok -> {
                },
                failure -> LOG.warnf("publishing %s to %s failed (it will be re-sent): %s", key, topic,
                        failure.getMessage()));
    }
}
