package ai.maspo.cli;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "status", description = {"Show a run: status, phase, accuracy, cost, best prompts.",
        "Exit code 1 when the run FAILED or was STOPPED, else 0 (with --watch: once it ended)."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "run id")
    String runId;
    @Option(names = "--json", description = "print the run as the API gives it")
    boolean json;
    @Option(names = "--watch", description = "follow the run until it ends, with a progress bar (stderr)")
    boolean watch;
    @Option(names = "--layers", paramLabel = "D", description = "with --watch: the run's layers per agent, for the bar's total and ETA (the API does not give it)")
    Integer layersPerAgent;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "86400", description = "with --watch: give up after this long (exit code 6); default ${DEFAULT-VALUE}")
    long timeoutSeconds;
    @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000", description = "with --watch: poll every MILLIS ms; default ${DEFAULT-VALUE}")
    long intervalMillis;

    @Override
    public Integer call() {
        RunProgress.Plan plan = new RunProgress.Plan(layersPerAgent, null, null, null);
        if (watch) {
            JsonNode run = Watch.follow(maspo.client(Maspo.WATCH_PATIENCE), runId, plan, Duration.ofSeconds(timeoutSeconds),
                    Duration.ofMillis(intervalMillis), Watch.display(spec.commandLine().getErr()));
            return report(run, json, spec.commandLine().getOut());
        }
        RunClient client = maspo.client();
        JsonNode run = client.get(runId);
        if (!json && !RunClient.TERMINAL_STATUSES.contains(run.path("status").asText())) {
            // where the search is, as the watch shows it: one more request, for people only
            spec.commandLine().getOut().println("progress  " + RunProgress.of(run, client.history(runId), plan, Instant.now()).line());
        }
        return report(run, json, spec.commandLine().getOut());
    }

    /** Prints the run (summary or JSON); the exit code says whether it FAILED or was STOPPED. */
    static int report(JsonNode run, boolean json, PrintWriter out) {
        out.print(json ? run.toPrettyString() + "\n" : Views.summary(run));
        out.flush();
        String status = run.path("status").asText();
        return "FAILED".equals(status) || "STOPPED".equals(status) ? Maspo.RUN_FAILED : Maspo.OK;
    }
}
