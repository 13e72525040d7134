package ai.maspo.infra;

import ai.maspo.cli.Views;
import ai.maspo.cli.Watch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The local run (deploy/local/run.sh): start the stack, submit the example run, follow it to the end with the CLI's
 * progress display, print its summary, keep the run and its history as JSON in the stack's log folder ({@code runs/}),
 * stop everything. Exit code 0 when the run COMPLETED, 1 otherwise.
 */
final class LocalRun {
    private static final String USAGE = """
            usage: run.sh [--no-build] [--spec FILE] [--evaluators N] [--timeout SECONDS]
              --spec FILE        run spec JSON (default deploy/local/example-run.json)
              --evaluators N     evaluator replicas (default 1)
              --timeout SECONDS  how long the run may take (default 900)
            env: MASPO_LLM_BASE_URL + MASPO_LLM_API_KEY use a real OpenAI-compatible endpoint instead of the simulator;
                 MASPO_DB_JDBC_URL (+ MASPO_DB_USERNAME, MASPO_DB_PASSWORD) use an external PostgreSQL.""";

    private static final String LOCAL_USER = "local-user";

    private LocalRun() {
    }

    record Args(Path spec, int evaluators, Duration timeout) {
        static Args parse(String[] args, Path root) {
            Path spec = root.resolve("deploy/local/example-run.json");
            int evaluators = 1;
            Duration timeout = Duration.ofSeconds(900);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--spec" -> spec = Path.of(require(value, "--spec")).toAbsolutePath();
                    case "--evaluators" -> evaluators = Integer.parseInt(require(value, "--evaluators"));
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(require(value, "--timeout")));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Args(spec, evaluators, timeout);
        }

        private static String require(String value, String option) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    static int run(String[] argv) {
        PrintStream out = System.out;
        if (List.of(argv).contains("--help") || List.of(argv).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        LocalStackOptions defaults = LocalStackOptions.defaults();
        Args args;
        ObjectNode spec;
        try {
            args = Args.parse(argv, defaults.projectRoot());
            spec = (ObjectNode) RunClient.json().readTree(Files.readString(args.spec()));
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 1;
        }

        long started = System.nanoTime();
        out.println("Starting Kafka, PostgreSQL, the LLM endpoint and the services (" + args.evaluators() + " evaluator(s))...");
        try (LocalStack stack = LocalStack.start(defaults.withEvaluatorReplicas(args.evaluators()))) {
            out.printf("Stack ready in %.1f s: orchestrator %s, LLM %s, Kafka %s, logs %s%n", seconds(started),
                    stack.orchestratorUrl(), stack.llmBaseUrl(), stack.kafkaBootstrapServers(), stack.logDir());
            out.println(credentials(stack));
            RunClient client = stack.runClient();
            if ("simulator".equals(spec.path("data").path("source").asText())) {
                String simulator = stack.simulatorUrl().orElseThrow(() -> new IllegalStateException(
                        "the spec takes its data from the simulator, but MASPO_LLM_BASE_URL points to another endpoint; give the data inline"));
                spec = client.withSimulatorData(spec, simulator);
            }
            long submitted = System.nanoTime();
            String runId = client.submit(spec);
            out.println("Submitted run " + runId + " (spec " + args.spec() + ")");
            // the CLI's display: a progress bar on a terminal, a line per change elsewhere
            JsonNode finalRun = Watch.follow(client, runId, spec, args.timeout(), new PrintWriter(System.err, true));
            out.println();
            out.print(Views.summary(finalRun));
            out.printf("run wall time %.1f s (stack start to stop: %.1f s so far)%n", seconds(submitted), seconds(started));
            // The stack's database goes at close: the run and its history stay on disk.
            Path kept = client.keep(runId, finalRun, stack.logDir().resolve("runs"), runId);
            out.println("Run and history kept in " + kept.getParent() + " (" + kept.getFileName() + ", " + runId + "-history.json)");
            return "COMPLETED".equals(finalRun.path("status").asText()) ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } finally {
            out.printf("Stopped everything (%.1f s in total).%n", seconds(started));
        }
    }

    /** What a user needs to call this stack by hand while it runs: valid only for this stack. */
    static String credentials(LocalStack stack) {
        String token = stack.credentials().token(LOCAL_USER, Duration.ofHours(12));
        return String.format("""
                Credentials of this stack (new at every start):
                  admin API key (owner "admin", may manage keys): %1$s
                  JWT of user "%3$s" (12 h):                      %4$s
                  e.g. curl -H 'Authorization: Bearer %1$s' %2$s/api/v1/runs
                       curl -H 'X-API-Key: %1$s' %2$s/api/v1/admin/api-keys""",
                stack.credentials().adminApiKey(), stack.orchestratorUrl(), LOCAL_USER, token);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
