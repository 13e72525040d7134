package ai.maspo.e2e;

import ai.maspo.infra.ChaosSuite;
import ai.maspo.infra.LocalStack;
import ai.maspo.infra.LocalStackOptions;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short chaos suite of CI (deploy/local/chaos.sh runs all of it): on one stack with 2 evaluators, a small search
 * undisturbed, then with 10% 429 + 10% 500 from the LLM, with one evaluator killed for good mid-search, and with one
 * evaluator stopped by SIGTERM mid-search as a scale-in does (it must exit by itself, its jobs finished or
 * redelivered). Each must complete with the undisturbed run's prompts, and its cost must count exactly the requests
 * the simulator received (every attempt is counted before it is sent, so an evaluator killed with SIGKILL may leave up
 * to its LLM slots counted but never sent). The orchestrator's SIGKILL mid-search is CI's in
 * {@link LocalStackEndToEndTest} (three evaluators, the same checks).
 */
class ChaosEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
    private static final List<String> SCENARIOS = List.of("llm-429-500-20pct", "evaluator-lost", "evaluator-sigterm");

    @Test
    void theSmallSearchKeepsItsPromptsThroughCrashesAndLlmFaults() throws Exception {
        List<ChaosSuite.Row> rows = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withEvaluatorReplicas(2))) {
            ChaosSuite suite = new ChaosSuite(stack, LocalStackEndToEndTest.smallExample(), stack.logDir().resolve("chaos"), RUN_TIMEOUT);
            ChaosSuite.Row undisturbed = suite.runUndisturbed(false);
            assertThat(undisturbed.status()).as("undisturbed run (logs in %s)", stack.logDir()).isEqualTo("COMPLETED");
            rows.add(undisturbed);
            for (String scenario : SCENARIOS) {
                rows.add(suite.run(ChaosSuite.scenario(scenario)));
            }
            String table = ChaosSuite.table(rows);
            System.out.println(table);

            SoftAssertions softly = new SoftAssertions();
            for (ChaosSuite.Row row : rows) {
                softly.assertThat(row.status()).as("%s status (logs in %s)\n%s", row.scenario(), stack.logDir(), table).isEqualTo("COMPLETED");
                softly.assertThat(row.samePrompts()).as("%s: same best prompts as undisturbed\n%s", row.scenario(), table).isTrue();
                softly.assertThat(row.note()).as("%s: the fault happened mid-search", row.scenario()).doesNotContain("not killed");
                // cold caches in every row (the suite makes the evaluators forget their answers): the same search
                // asks the same requests, so each row pays at least what the undisturbed one paid, and meets the faults
                softly.assertThat(row.simulatorRequests()).as("%s: every request reached the LLM at least once\n%s",
                        row.scenario(), table).isGreaterThanOrEqualTo(undisturbed.simulatorRequests());
                if (row.scenario().startsWith("llm-")) {
                    softly.assertThat(row.note()).as("%s: the simulator injected faults\n%s", row.scenario(), table)
                            .contains("simulator faults");
                }
                if (row.scenario().equals("evaluator-sigterm")) {
                    // jobs in progress when the signal came, all finished before the evaluator left the group
                    softly.assertThat(row.note()).as("the evaluator drains and stops by itself on SIGTERM\n%s", table)
                            .contains("jobs in progress").contains("exited by itself").contains(", 0 left unfinished");
                }
                softly.assertThat(row.costAccounted()).as("%s: paid calls reported = requests the simulator received,"
                        + " plus at most the LLM slots of an evaluator killed with SIGKILL\n%s", row.scenario(), table).isTrue();
                if (!row.scenario().equals("evaluator-lost")) {
                    softly.assertThat(row.reportedCalls()).as("%s: no SIGKILLed evaluator, so the count is exact\n%s",
                            row.scenario(), table).isEqualTo(row.simulatorRequests());
                }
            }
            softly.assertAll();
        }
    }
}
