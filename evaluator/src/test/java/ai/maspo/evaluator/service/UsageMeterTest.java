package ai.maspo.evaluator.service;

import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Usage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a job's meter reports for the orchestrator's pricing and elapsed time: cached prompt tokens and attempt spans. */
class UsageMeterTest {

    @Test
    void aReportSpansItsAttemptsFromTheFirstStartToTheLastEndAndCarriesCachedPromptTokens() {
        UsageMeter meter = new UsageMeter("run-1", "run-1/job");
        long before = System.currentTimeMillis();
        meter.recordAttempt(ModelRole.AGENT, new ChatEndpoint.Attempt.Answered("a", null, 100, 10, 40), 3_000);
        meter.recordAttempt(ModelRole.AGENT, new ChatEndpoint.Attempt.Answered("b", null, 50, 5, 0), 200);
        meter.recordAttempt(ModelRole.AGENT, null, 1_000); // failed: time but no tokens
        long after = System.currentTimeMillis();

        Usage agent = meter.drainUnreported().getFirst();
        assertThat(agent.promptTokens()).isEqualTo(150);
        assertThat(agent.cachedPromptTokens()).isEqualTo(40);
        assertThat(agent.completionTokens()).isEqualTo(15);
        assertThat(agent.millis()).as("summed").isEqualTo(4_200);
        assertThat(agent.busyFrom()).as("the 3 s attempt started first").isBetween(before - 3_000, after - 3_000);
        assertThat(agent.busyUntil()).isBetween(before, after);

        // The next report spans only what came after the drain.
        long secondStart = System.currentTimeMillis();
        meter.recordAttempt(ModelRole.AGENT, new ChatEndpoint.Attempt.Answered("c", null, 1, 1, 0), 0);
        List<Usage> next = meter.drainUnreported();
        assertThat(next.getFirst().busyFrom()).isGreaterThanOrEqualTo(secondStart);
        assertThat(next.getFirst().busyUntil()).isEqualTo(next.getFirst().busyFrom());
        // The job's total spans everything.
        assertThat(meter.snapshot().getFirst().busyFrom()).isEqualTo(agent.busyFrom());
    }

    @Test
    void aCacheHitOrAWithdrawalCarriesNoSpan() {
        UsageMeter meter = new UsageMeter("run-1", "run-1/job");
        meter.recordCacheHit(ModelRole.JUDGE);
        meter.recordUnsent(ModelRole.JUDGE);
        assertThat(meter.drainUnreported()).containsExactly(new Usage(ModelRole.JUDGE, -1, 1, 0, 0, 0));
    }
}
