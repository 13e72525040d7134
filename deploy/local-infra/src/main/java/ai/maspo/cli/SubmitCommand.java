package ai.maspo.cli;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "submit", description = {"Submit a run spec (JSON) and print the new run's id.",
        "A spec whose data is {\"source\": \"simulator\", ...} gets its questions from the local platform's simulator.",
        "With --watch: follow the run to its end with a progress bar (stderr), then print its summary;",
        "exit code 0 when it COMPLETED, 1 when it FAILED or was STOPPED."})
final class SubmitCommand implements Callable<Integer> {
    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "run spec file (e.g. deploy/local/example-run.json)")
    Path specFile;
    @Option(names = "--watch", description = "follow the run until it ends")
    boolean watch;
    @Option(names = "--json", description = "with --watch: print the final run as JSON instead of a summary")
    boolean json;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "86400", description = "with --watch: give up watching after this long (exit code 6; the run goes on); default ${DEFAULT-VALUE}")
    long timeoutSeconds;
    @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000", description = "with --watch: poll every MILLIS ms; default ${DEFAULT-VALUE}")
    long intervalMillis;

    @Override
    public Integer call() {
        JsonNode runSpec;
        try {
            runSpec = RunClient.json().readTree(Files.readString(specFile));
        } catch (IOException | RuntimeException e) {
            throw new Maspo.UsageException("cannot read " + specFile + ": " + e.getMessage());
        }
        if (!(runSpec instanceof ObjectNode object)) {
            throw new Maspo.UsageException(specFile + " does not hold a JSON object");
        }
        Maspo.Target target = maspo.target();
        RunClient client = maspo.client();
        ObjectNode toSubmit = object;
        if ("simulator".equals(object.path("data").path("source").asText())) {
            String simulator = target.simulatorUrl().orElseThrow(() -> new Maspo.UsageException(
                    "the spec takes its data from the simulator, which only the local platform has; give the data inline"));
            toSubmit = client.withSimulatorData(object, simulator);
        }
        String id = client.submit(toSubmit);
        if (!watch) {
            spec.commandLine().getOut().println(id);
            return Maspo.OK;
        }
        spec.commandLine().getErr().println("Submitted run " + id);
        JsonNode run = Watch.follow(maspo.client(Maspo.WATCH_PATIENCE), id, RunProgress.Plan.of(object),
                Duration.ofSeconds(timeoutSeconds), Duration.ofMillis(intervalMillis), Watch.display(spec.commandLine().getErr()));
        return StatusCommand.report(run, json, spec.commandLine().getOut());
    }
}
