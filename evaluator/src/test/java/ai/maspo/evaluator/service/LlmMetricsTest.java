package ai.maspo.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.protocol.ModelRole;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters behind the alerts and the dashboard (deploy/observability), by role, model and outcome. */
class LlmMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LlmMetrics metrics = new LlmMetrics(registry);

    @Test
    void paidCallsCountRequestsTokensAndLatencyPerRoleAndModel() {
        metrics.paid(ModelRole.AGENT, "m1", new LlmReply("a", null, 100, 20), TimeUnit.MILLISECONDS.toNanos(200));
        metrics.paid(ModelRole.AGENT, "m1", new LlmReply("b", null, 50, 10), TimeUnit.MILLISECONDS.toNanos(400));
        metrics.paid(ModelRole.JUDGE, "m2", new LlmReply("A", null, 7, 1), TimeUnit.MILLISECONDS.toNanos(100));

        assertThat(registry.get("maspo.llm.requests").tags("role", "agent", "model", "m1", "outcome", "paid").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get("maspo.llm.tokens").tags("role", "agent", "model", "m1", "kind", "prompt").counter()
                .count()).isEqualTo(150);
        assertThat(registry.get("maspo.llm.tokens").tags("role", "agent", "model", "m1", "kind", "completion").counter()
                .count()).isEqualTo(30);
        Timer agent = registry.get("maspo.llm.latency").tags("role", "agent", "model", "m1").timer();
        assertThat(agent.count()).isEqualTo(2);
        assertThat(agent.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(600);
        assertThat(registry.get("maspo.llm.latency").tags("role", "judge", "model", "m2").timer().count()).isEqualTo(1);
    }

    @Test
    void prometheusSeesTheNamesTheDashboardQueries() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmMetrics exported = new LlmMetrics(prometheus);
        exported.paid(ModelRole.AGENT, "m1", new LlmReply("a", null, 100, 20), TimeUnit.MILLISECONDS.toNanos(200));

        assertThat(prometheus.scrape()).contains("maspo_llm_requests_total{", "maspo_llm_tokens_total{",
                "maspo_llm_latency_seconds_bucket{");
    }

    @Test
    void cacheHitsRefusalsAndFailuresHaveTheirOwnOutcomes() {
        metrics.cached(ModelRole.AGENT, "m1", "memory");
        metrics.cached(ModelRole.AGENT, "m1", "shared");
        metrics.cached(ModelRole.AGENT, "m1", "shared");
        metrics.refused(ModelRole.OPTIMIZER, "m3");
        metrics.failed(ModelRole.OPTIMIZER, "m3");

        assertThat(registry.get("maspo.llm.requests").tags("role", "agent", "outcome", "cached").counter().count())
                .isEqualTo(3);
        assertThat(registry.get("maspo.llm.cache.hits").tags("role", "agent", "layer", "shared").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("maspo.llm.refusals").tags("role", "optimizer", "model", "m3").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("maspo.llm.requests").tags("role", "optimizer", "outcome", "failed").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("maspo.llm.requests").tags("outcome", "paid").counters()).isEmpty();
    }
}
