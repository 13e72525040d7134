package ai.maspo.cli;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "cancel", description = {"Stop a run (POST /api/v1/runs/{id}/cancel): it ends STOPPED with the best prompts found so far.",
        "Exit code 0 once the orchestrator accepted it, 5 when the run had already finished."})
final class CancelCommand implements Callable<Integer> {
    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "run id")
    String runId;
    @Option(names = "--wait", description = "wait until the run's status is terminal and say how long it took")
    boolean await;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "with --wait: give up after this long (exit code 6); default ${DEFAULT-VALUE}")
    long timeoutSeconds;

    @Override
    public Integer call() {
        RunClient client = maspo.client();
        long asked = System.nanoTime();
        JsonNode answer = client.cancel(runId);
        String status = answer.path("status").asText("");
        spec.commandLine().getOut().println("run " + runId + ": cancel accepted" + (status.isEmpty() ? "" : ", status " + status));
        if (!await || RunClient.TERMINAL_STATUSES.contains(status)) {
            return Maspo.OK;
        }
        JsonNode run = Watch.follow(maspo.client(Maspo.WATCH_PATIENCE), runId, RunProgress.Plan.UNKNOWN,
                Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(250), new Watch.Lines(spec.commandLine().getErr()));
        spec.commandLine().getOut().printf("run %s: %s %.1f s after the cancel%n", runId, run.path("status").asText(),
                (System.nanoTime() - asked) / 1e9);
        return Maspo.OK;
    }
}
