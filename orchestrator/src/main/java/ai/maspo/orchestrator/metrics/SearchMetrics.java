package ai.maspo.orchestrator.metrics;

import ai.maspo.orchestrator.persistence.AfterCommit;
import ai.maspo.orchestrator.search.HistoryEntry;
import ai.maspo.orchestrator.search.RejectionReason;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.List;
import java.util.Locale;

/**
 * What the searches do, counted once the transaction that stored it commits (a rolled-back step is retried and
 * would otherwise count twice): layers and beam refreshes by status, proposals rejected by reason, changes of an
 * agent's best prompt, and the answers of the evaluators and the sampler accepted or ignored as repeats (a repeat
 * is a redelivered or re-sent job answered again; a steady rate of them points at crashing or slow consumers).
 */
@ApplicationScoped
public class SearchMetrics {

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    SearchMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        // Every series exists from the start at 0, so that a rate over it is 0 rather than absent until the first event.
        for (String status : List.of("completed", "partial", "failed")) {
            registry.counter("maspo.search.layers", "status", status);
        }
        for (RejectionReason reason : RejectionReason.values()) {
            registry.counter("maspo.search.proposals.rejected", "reason", label(reason.name()));
        }
        registry.counter("maspo.search.best.changes");
        registry.counter("maspo.answers", "outcome", "accepted");
        registry.counter("maspo.answers", "outcome", "repeat");
    }

    public void stepsStored(List<HistoryEntry> entries) {
        if (!entries.isEmpty()) {
            afterCommit(() -> entries.forEach(this::count));
        }
    }

    public void answersIngested(int accepted, int repeats) {
        afterCommit(() -> {
            registry.counter("maspo.answers", "outcome", "accepted").increment(accepted);
            registry.counter("maspo.answers", "outcome", "repeat").increment(repeats);
        });
    }

    private void count(HistoryEntry entry) {
        switch (entry) {
            case HistoryEntry.LayerRecord layer -> {
                registry.counter("maspo.search.layers", "status", label(layer.status())).increment();
                if (layer.bestChanged()) {
                    registry.counter("maspo.search.best.changes").increment();
                }
                if (layer.rejectionCounts() != null) {
                    layer.rejectionCounts().forEach((reason, count) -> registry.counter("maspo.search.proposals.rejected",
                            "reason", label(reason.name())).increment(count));
                }
            }
            case HistoryEntry.RefreshRecord refresh -> registry.counter("maspo.search.refreshes",
                    "status", label(refresh.status()), "top_stable", Boolean.toString(refresh.topStable())).increment();
        }
    }

    private void afterCommit(Runnable action) {
        AfterCommit.run(transactions, action);
    }

    private static String label(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
