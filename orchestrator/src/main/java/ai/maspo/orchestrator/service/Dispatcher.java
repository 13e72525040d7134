package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.outbox.OutboxRelay;
import ai.maspo.orchestrator.persistence.AfterCommit;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.tracing.CommandTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Instant;

/**
 * Transactional outbox: a command is stored with the state change that needs it, in the same transaction, and the
 * {@link OutboxRelay} publishes it once that transaction commits (nudged at once; its poll is the safety net), so
 * no command is lost whether the process or the broker fails in between.
 */
@ApplicationScoped
public class Dispatcher {

    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;
    private final CommandTracing tracing;

    Dispatcher(TransactionSynchronizationRegistry transactions, OutboxRelay relay, CommandTracing tracing) {
        this.transactions = transactions;
        this.relay = relay;
        this.tracing = tracing;
    }

    /** Stores a command in the current transaction; the relay publishes it after commit. */
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
        d.traceContext = tracing.stored(runId, requestId, commandId, kind);
        d.awaitsReply = awaitsReply;
        d.status = awaitsReply ? DispatchEntity.Status.PENDING : DispatchEntity.Status.SENT;
        d.sentAt = Instant.now();
        d.persist();
        nudgeAfterCommit();
    }

    /** One nudge per transaction, however many commands it stored. */
    private void nudgeAfterCommit() {
        if (transactions.getResource(Dispatcher.class) != null) {
            return;
        }
        transactions.putResource(Dispatcher.class, Boolean.TRUE);
        AfterCommit.run(transactions, relay::nudge);
    }
}
