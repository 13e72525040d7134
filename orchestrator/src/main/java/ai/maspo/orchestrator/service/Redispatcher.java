package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.config.OrchestratorConfig;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Carries runs on after a restart or a lost message: unanswered commands are sent again. At start-up that is
 * every pending command (the previous process may have died between commit and send); afterwards only those
 * older than {@code maspo.orchestrator.redispatch-after}.
 */
@ApplicationScoped
public class Redispatcher {

    private static final Logger LOG = Logger.getLogger(Redispatcher.class);

    private final Dispatcher dispatcher;
    private final OrchestratorConfig config;

    Redispatcher(Dispatcher dispatcher, OrchestratorConfig config) {
        this.dispatcher = dispatcher;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        resendOlderThan(Instant.now());
    }

    @Scheduled(every = "${maspo.orchestrator.redispatch-check:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodically() {
        resendOlderThan(Instant.now().minus(config.redispatchAfter()));
    }

    @Transactional
    void resendOlderThan(Instant cutoff) {
        List<DispatchEntity> stale = DispatchEntity.pendingSentBefore(cutoff);
        if (stale.isEmpty()) {
            return;
        }
        LOG.infof("re-sending %d unanswered commands", stale.size());
        Instant now = Instant.now();
        stale.forEach(d -> d.sentAt = now);
        dispatcher.publishAll(stale);
    }
}
