package ai.maspo.evaluator.service;

import java.util.concurrent.Semaphore;

/**
 * Bounds the LLM attempts one evaluator has in flight, across all its jobs and roles: an endpoint's concurrency limit
 * is a property of the deployment, not of a run, and jobs on virtual threads would otherwise open as many requests
 * as they have questions. A slot is held for one HTTP attempt only, never during a retry's backoff; waiters are
 * served in arrival order so no job starves.
 */
final class CallSlots {

    /** An acquired slot; closing it frees the slot for the next waiter. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore permits;
    private final int size;

    CallSlots(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("maspo.llm.max-in-flight must be at least 1, was " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    /** Waits for a free slot. */
    Slot acquire() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallFailedException("interrupted while waiting for a free LLM call slot", e);
        }
        return permits::release;
    }

    int size() {
        return size;
    }

    int inFlight() {
        return size - permits.availablePermits();
    }

    int waiting() {
        return permits.getQueueLength();
    }
}
