package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The event streams open on this replica, counted per caller: each one polls the database, so a client that opens
 * streams without closing them must not take the service down. The bound is per replica (a caller can open as many on
 * each); that keeps it free of shared state, and a replica's own load is what it protects.
 */
@ApplicationScoped
public class EventStreams {

    /** Thrown when the caller already has as many streams open as allowed. */
    public static class TooManyStreamsException extends RuntimeException {
        TooManyStreamsException(int limit) {
            super("at most " + limit + " event streams per user are open at once; close one first");
        }
    }

    /** One open stream; {@link #close()} gives its place back, once however often it is called. */
    public final class Permit implements AutoCloseable {
        private final String owner;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit(String owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                EventStreams.this.open.computeIfPresent(owner, (o, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private final int maxPerUser;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    EventStreams(OrchestratorConfig config) {
        this.maxPerUser = config.events().maxStreamsPerUser();
    }

    /** @throws TooManyStreamsException if {@code owner} has the maximum open already */
    public Permit open(String owner) {
        boolean[] granted = {false};
        open.compute(owner, (o, n) -> {
            int current = n == null ? 0 : n;
            granted[0] = current < maxPerUser;
            return granted[0] ? current + 1 : n;
        });
        if (!granted[0]) {
            throw new TooManyStreamsException(maxPerUser);
        }
        return new Permit(owner);
    }
}
