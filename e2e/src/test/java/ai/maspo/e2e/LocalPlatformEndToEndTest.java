package ai.maspo.e2e;

import ai.maspo.cli.Maspo;
import ai.maspo.infra.LocalCredentials;
import ai.maspo.infra.LocalPlatform;
import ai.maspo.infra.LocalStack;
import ai.maspo.infra.LocalStackOptions;
import ai.maspo.infra.PlatformState;
import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The long-running local platform as a user runs it (LocalPlatform start and stop, as deploy/local/platform.sh does):
 * runs, history and credentials survive a stop and start of its state folder, nothing outlives a stop, and the CLI
 * drives it through the platform's state file.
 */
class LocalPlatformEndToEndTest {

    @TempDir
    Path state;
    @TempDir
    Path work;

    record Result(int code, String out, String err) {
    }

    @Test
    void runsHistoryAndCredentialsSurviveAStopAndStartAndTheCliFollowsThem() throws Exception {
        Path spec = Files.writeString(work.resolve("spec.json"), LocalStackEndToEndTest.smallExample().toPrettyString());
        String[] start = {"start", "--data", state.toString()};
        String[] stop = {"stop", "--data", state.toString()};
        try {
            assertThat(LocalPlatform.run(start)).isZero();
            PlatformState first = PlatformState.readLive(state).orElseThrow();
            List<ProcessHandle> processes = platformProcesses(first);

            // the spec's data comes from the simulator, whose URL only the platform's state file gives
            Result watched = maspo("submit", spec.toString(), "--watch", "--interval", "500");
            assertThat(watched.code()).as("%s%s(logs in %s)", watched.out(), watched.err(), first.logDir()).isZero();
            assertThat(watched.err()).containsPattern("search +\\d+/4 layers").contains("best J").contains("calls ");
            assertThat(watched.out()).contains("status    COMPLETED (DONE)").contains("accuracy  seed");
            String runId = watched.err().lines().filter(l -> l.startsWith("Submitted run ")).findFirst().orElseThrow()
                    .substring("Submitted run ".length());
            JsonNode history = RunClient.json().readTree(maspo("history", runId, "--json").out());
            JsonNode export = RunClient.json().readTree(maspo("export", runId).out());
            assertThat(history).isNotEmpty();
            assertThat(export.path("prompts").path("predictor").asText()).contains("{question}");
            // signed with the platform's key pair, which the test reads from the state folder as the platform does
            String userToken = LocalCredentials.loadOrGenerate(state.resolve("credentials")).token("e2e-user", Duration.ofHours(1));

            assertThatThrownBy(() -> LocalStack.start(LocalStackOptions.defaults().withStateDir(state)))
                    .hasMessageContaining("another local platform is running on");
            assertThat(LocalPlatform.run(stop)).isZero();
            assertThat(processes).noneSatisfy(p -> assertThat(p.isAlive()).as("%s", p.info()).isTrue());
            assertThat(PlatformState.readLive(state)).isEmpty();

            assertThat(LocalPlatform.run(start)).isZero();
            PlatformState second = PlatformState.readLive(state).orElseThrow();
            assertThat(second.adminApiKey()).isEqualTo(first.adminApiKey());
            Result status = maspo("status", runId, "--json");
            assertThat(status.code()).as(status.err()).isZero();
            assertThat(RunClient.json().readTree(status.out()).path("status").asText()).isEqualTo("COMPLETED");
            assertThat(RunClient.json().readTree(maspo("history", runId, "--json").out())).isEqualTo(history);
            assertThat(RunClient.json().readTree(maspo("export", runId).out())).isEqualTo(export);
            assertThat(maspo("list").out()).contains(runId);
            // a JWT signed before the restart is still accepted; that user sees none of the admin's runs
            JsonNode usersRuns = new RunClient(second.orchestratorUrl(), userToken).list(Map.of());
            assertThat(usersRuns.path("totalItems").asInt()).isZero();
            assertThat(usersRuns.path("items")).isEmpty();
            assertThat(maspo("status", "no-such-run").code()).isEqualTo(Maspo.NOT_FOUND);
        } finally {
            assertThat(LocalPlatform.run(stop)).isZero();
        }
        assertThat(PlatformState.readLive(state)).isEmpty();
    }

    /**
     * The platform's JVM, its children and PostgreSQL's postmaster, which pg_ctl detaches from them (its pid is in the
     * cluster's postmaster.pid).
     */
    private List<ProcessHandle> platformProcesses(PlatformState platform) throws Exception {
        ProcessHandle jvm = ProcessHandle.of(platform.pid()).orElseThrow();
        List<ProcessHandle> processes = new ArrayList<>(jvm.descendants().toList());
        processes.add(jvm);
        long postmaster = Long.parseLong(Files.readAllLines(state.resolve("postgres/data/postmaster.pid")).getFirst().strip());
        processes.add(ProcessHandle.of(postmaster).orElseThrow());
        // Kafka, the simulator, sampler, evaluator, orchestrator (each maybe behind setsid), and the postmaster
        assertThat(processes).hasSizeGreaterThanOrEqualTo(7);
        return processes;
    }

    private Result maspo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Maspo.execute(Map.of(PlatformState.DIR_ENV, state.toString()), new PrintWriter(out, true),
                new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
