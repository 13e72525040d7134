package ai.maspo.orchestrator.persistence;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Work that must follow a transaction's commit and never a rollback (a nudge, a metric of what was stored). */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Runs {@code action} once the current transaction has committed; not at all when it rolls back. */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
