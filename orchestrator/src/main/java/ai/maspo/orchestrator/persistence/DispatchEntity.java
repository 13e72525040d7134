package ai.maspo.orchestrator.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** A command sent to another service; see the migration for why it is stored. */
@Entity
@Table(name = "dispatch")
public class DispatchEntity extends PanacheEntityBase {

    /**
     * SENT: one-way, no answer expected; CANCELLED: no longer wanted (the search ended or the run was cancelled
     * first); RETRIED: failed, and sent again as a new dispatch (request id suffixed {@code #attempt}).
     */
    public enum Status { PENDING, SUCCEEDED, FAILED, SENT, CANCELLED, RETRIED }

    @Id
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "run_id")
    public String runId;
    /** Assigned by the database; orders re-sends (a pool registration before the requests drawing from it). */
    @Column(insertable = false, updatable = false)
    public Long seq;
    public String kind;
    /** The search command this dispatch is (a part of); null for commands outside the search. */
    @Column(name = "command_id")
    public String commandId;
    public String topic;
    @Column(name = "message_key")
    public String messageKey;
    public String payload;
    /** See {@link ai.maspo.orchestrator.tracing.CommandTracing}: null when tracing is off. */
    @Column(name = "trace_context")
    public String traceContext;
    @Column(name = "awaits_reply")
    public boolean awaitsReply;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String reply;
    public String error;
    @Column(name = "sent_at")
    public Instant sentAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    /**
     * When the broker acknowledged the command; null until then. Written only by the outbox relay (with its own
     * statements), so a state change that loads and saves this entity cannot overwrite the relay's mark.
     */
    @Column(name = "published_at", insertable = false, updatable = false)
    public Instant publishedAt;

    /** Whether every job of a command has succeeded: none waits for an answer or failed for good. */
    public static boolean commandSucceeded(String runId, String commandId) {
        return count("runId = ?1 and commandId = ?2 and status in ?3", runId, commandId,
                List.of(Status.PENDING, Status.FAILED)) == 0;
    }

    /** Search jobs still unanswered are not wanted any more once the search is over. */
    public static void cancelPendingSearchJobs(String runId) {
        update("status = ?1 where runId = ?2 and status = ?3 and commandId is not null", Status.CANCELLED, runId,
                Status.PENDING);
    }

    /**
     * A cancelled run's commands that still await an answer or were never published are not wanted any more: the
     * relay skips them, and an answer to one is not stored. Returns how many were cancelled.
     */
    public static int cancelOutstanding(String runId) {
        return update("status = ?1 where runId = ?2 and (status = ?3 or (status = ?4 and publishedAt is null))",
                Status.CANCELLED, runId, Status.PENDING, Status.SENT);
    }

    /** Commands of active runs the broker has not acknowledged yet, oldest first (per-run order on the wire). */
    public static List<DispatchEntity> unpublished(int limit) {
        return find("publishedAt is null and status in ?1 and runId in (select r.id from RunEntity r where r.status in ?2)"
                + " order by seq", List.of(Status.PENDING, Status.SENT), List.of(RunStatus.PENDING, RunStatus.RUNNING))
                .page(0, limit).list();
    }
}
