package ai.maspo.infra;

import ai.maspo.protocol.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos suite (deploy/local/chaos.sh): on one local stack (2 evaluators), the run spec once undisturbed and then
 * once per {@link Scenario} — a component killed with SIGKILL mid-search and restarted, an evaluator killed for good,
 * an evaluator stopped with SIGTERM as a scale-in stops it, LLM faults from the simulator — each compared with the undisturbed run: completed, same best prompts, same history,
 * duplicate rows, paid calls reported by the run against the simulator's own count, wall time. It measures what the
 * code does; rows that differ are findings, not failures of the suite.
 */
public final class ChaosSuite {

    /** What is done to the stack during one run. */
    public sealed interface Fault {
        /** Nothing: the reference run. */
        record None() implements Fault {
        }

        /** SIGKILL of a component once the run is mid-search, then a restart on the same port and data. */
        record CrashAndRestart(String component) implements Fault {
        }

        /** SIGKILL of a component mid-search, left down until the run ends (restored before the next scenario). */
        record KillForGood(String component) implements Fault {
        }

        /** The simulator runs the whole run with these fault flags (see docs/llm-simulator.md). */
        record LlmFaults(List<String> simulatorFlags) implements Fault {
        }

        /**
         * SIGTERM of a service mid-search, as Kubernetes stops a pod on scale-in (SIGKILL only after
         * {@link #STOP_GRACE}), then a restart. The simulator runs with these flags meanwhile (a latency keeps jobs in
         * progress when the signal comes).
         */
        record StopAndRestart(String component, List<String> simulatorFlags) implements Fault {
        }
    }

    private static final String JOBS_IN_PROGRESS = "maspo_evaluator_jobs_in_progress";
    private static final String LLM_SLOTS = "maspo_llm_slots";

    /** The grace period of a SIGTERM stop: above the evaluator's default drain timeout (20 s) plus its shutdown. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(60);

    public record Scenario(String name, Fault fault) {
    }

    public static final Scenario UNDISTURBED = new Scenario("undisturbed", new Fault.None());
    private static final Scenario WARM_UP = new Scenario("warm-up", new Fault.None());
    /** How long after a run's end its cost may still grow to the simulator's count. */
    private static final Duration COST_SETTLE = Duration.ofSeconds(30);
    /** How long after a run's end the evaluators may still work on its jobs (see {@link #awaitEvaluatorsIdle}). */
    private static final Duration EVALUATORS_IDLE = Duration.ofMinutes(3);

    /** Every disturbed scenario, in the order the suite runs them. */
    public static final List<Scenario> SCENARIOS = List.of(
            new Scenario("orchestrator-kill", new Fault.CrashAndRestart("orchestrator")),
            new Scenario("evaluator-kill", new Fault.CrashAndRestart("evaluator-1")),
            new Scenario("sampler-kill", new Fault.CrashAndRestart("sampler")),
            new Scenario("kafka-kill", new Fault.CrashAndRestart("kafka")),
            new Scenario("postgres-kill", new Fault.CrashAndRestart("postgres")),
            new Scenario("evaluator-lost", new Fault.KillForGood("evaluator-2")),
            new Scenario("evaluator-sigterm", new Fault.StopAndRestart("evaluator-1", List.of("--latency-ms", "500"))),
            new Scenario("llm-429-500-20pct", new Fault.LlmFaults(List.of("--rate-429", "0.1", "--rate-500", "0.1"))),
            new Scenario("llm-hang-2pct", new Fault.LlmFaults(List.of("--rate-hang", "0.02"))),
            new Scenario("llm-malformed-5pct", new Fault.LlmFaults(List.of("--rate-malformed", "0.05"))));

    /**
     * One scenario's outcome. {@code jobs}: dispatch rows of the run (the undisturbed run's in {@code baselineJobs});
     * {@code duplicateIds}: rows sharing a request id within the run, over every table with run_id and request_id.
     */
    public record Row(String scenario, String status, boolean samePrompts, boolean sameHistory, long duplicateIds,
                      long jobs, long baselineJobs, long reportedCalls, long simulatorRequests, long mayOvercount,
                      double wallSeconds, double wallRatio, String note) {

        public boolean completed() {
            return "COMPLETED".equals(status);
        }

        /**
         * The cost never misses a request the LLM received, and counts more only where a process was SIGKILLed: an
         * attempt is counted before it is sent, so an evaluator killed between the two leaves it counted; it can hold
         * at most its LLM slots ({@code mayOvercount}, read from its {@code maspo_llm_slots} before the kill).
         */
        public boolean costAccounted() {
            long over = reportedCalls - simulatorRequests;
            return over >= 0 && over <= mayOvercount;
        }

        /** What issue 9 asks of every row: completed, same prompts and history, no duplicates, cost accounted. */
        public boolean clean() {
            return completed() && samePrompts && sameHistory && duplicateIds == 0 && costAccounted();
        }
    }

    private final LocalStack stack;
    private final RunClient client;
    private final ObjectNode spec;
    private final Path outDir;
    private final Duration runTimeout;
    private final SimulatorStats simulator;
    private JsonNode baselineRun;
    private JsonNode baselineHistory;
    private Row baseline;
    /** Whether the evaluators may hold answers from a run of this suite (before its first run the stack is fresh). */
    private boolean answersHeld;

    /**
     * @param stack      a stack that has served no run yet (its evaluators hold no LLM answer)
     * @param spec       a run spec; simulator data ({@code "source": "simulator"}) is materialized here
     * @param outDir     where each run's final JSON and history go
     * @param runTimeout how long one run may take before its row says TIMEOUT
     */
    public ChaosSuite(LocalStack stack, ObjectNode spec, Path outDir, Duration runTimeout) {
        this.stack = stack;
        this.client = stack.runClient();
        String simulatorUrl = stack.simulatorUrl().orElseThrow(
                () -> new IllegalStateException("the chaos suite needs the simulator (unset MASPO_LLM_BASE_URL)"));
        this.simulator = new SimulatorStats(simulatorUrl);
        this.spec = client.withSimulatorData(spec, simulatorUrl);
        this.outDir = outDir;
        this.runTimeout = runTimeout;
    }

    public static Scenario scenario(String name) {
        return SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown scenario " + name + "; known: "
                        + SCENARIOS.stream().map(Scenario::name).toList()));
    }

    /**
     * The reference run every later row is compared with; must come first. With {@code warmUpFirst} the spec runs once
     * before it, unrecorded in the table (its files are kept as warm-up*.json): the evaluators cache deterministic
     * answers across runs, so without it the reference alone would start cold and every wall ratio would flatter.
     */
    public Row runUndisturbed(boolean warmUpFirst) {
        if (warmUpFirst) {
            run(WARM_UP);
        }
        baseline = run(UNDISTURBED);
        return baseline;
    }

    public Row run(Scenario scenario) {
        if (baseline == null && !(scenario.fault() instanceof Fault.None)) {
            throw new IllegalStateException("run the undisturbed scenario first");
        }
        restoreStoppedComponents();
        List<String> notes = new ArrayList<>();
        List<String> simulatorFlags = switch (scenario.fault()) {
            case Fault.LlmFaults faults -> faults.simulatorFlags();
            case Fault.StopAndRestart stop -> stop.simulatorFlags();
            default -> List.of();
        };
        if (!simulatorFlags.isEmpty()) {
            stack.restartSimulator(simulatorFlags);
        }
        try {
            // Every row pays its own LLM calls and meets the injected faults, as the undisturbed row did: the
            // evaluators' caches would otherwise answer every run after the first almost for free (the clean CI of
            // 1859347: evaluator-1 answered a whole row from its memory, so a SIGTERM found no job to drain).
            if (answersHeld) {
                stack.forgetLlmAnswers();
            }
            answersHeld = true;
            simulator.reset();
            long started = System.nanoTime();
            String runId = client.submit(spec);
            long mayOvercount = disturb(scenario.fault(), runId, notes);
            JsonNode run;
            try {
                run = client.awaitTerminal(runId, runTimeout, r -> { });
            } catch (IllegalStateException e) {
                notes.add("not finished within " + runTimeout.toSeconds() + " s");
                run = client.get(runId);
            }
            double wall = (System.nanoTime() - started) / 1e9;
            long requestsAtEnd = SimulatorStats.requestsReceived(simulator.read());
            awaitEvaluatorsIdle(notes);
            // The cost is fed by its own topic (usage reports): the last ones may be stored just after the run ended.
            JsonNode stats = simulator.read();
            for (long deadline = System.nanoTime() + COST_SETTLE.toNanos();
                 reportedCalls(run) != SimulatorStats.requestsReceived(stats) && System.nanoTime() < deadline; ) {
                LocalStack.sleep(500);
                run = client.get(runId);
                stats = simulator.read();
            }
            if (!stats.path("faults").isEmpty()) {
                notes.add("simulator faults " + stats.path("faults"));
            }
            long late = SimulatorStats.requestsReceived(stats) - requestsAtEnd;
            if (late > 0) {
                notes.add(late + " requests reached the simulator after the run's end");
            }
            JsonNode history = client.history(runId);
            keep(scenario.name(), run, history);
            if (baseline == null) {
                baselineRun = run;
                baselineHistory = history;
            }
            String status = run.path("status").asText();
            boolean finished = RunClient.TERMINAL_STATUSES.contains(status);
            if (run.hasNonNull("error")) {
                notes.add("error: " + run.path("error").asText());
            }
            long jobs = count("SELECT count(*) FROM orchestrator.dispatch WHERE run_id = ?", runId);
            return new Row(scenario.name(), finished ? status : "TIMEOUT (" + status + ")",
                    run.path("bestPrompts").equals(baselineRun.path("bestPrompts")),
                    RunClient.searchOnly(history).equals(RunClient.searchOnly(baselineHistory)),
                    duplicateRequestIds(runId), jobs, baseline == null ? jobs : baseline.jobs(),
                    reportedCalls(run), SimulatorStats.requestsReceived(stats), mayOvercount, wall,
                    baseline == null ? 1 : wall / baseline.wallSeconds(),
                    String.join("; ", notes));
        } finally {
            if (!simulatorFlags.isEmpty()) {
                stack.restartSimulator(List.of());
            }
        }
    }

    /**
     * Kills or stops (and restarts) the component once the run has recorded a third of the undisturbed run's
     * history. Returns how many paid calls the run may count without the LLM receiving them (see
     * {@link Row#costAccounted()}): the LLM slots of an evaluator killed with SIGKILL, else 0.
     */
    private long disturb(Fault fault, String runId, List<String> notes) {
        String component = switch (fault) {
            case Fault.CrashAndRestart c -> c.component();
            case Fault.KillForGood k -> k.component();
            case Fault.StopAndRestart stop -> stop.component();
            default -> null;
        };
        if (component == null) {
            return 0;
        }
        int steps = Math.max(1, baselineHistory.size() / 3);
        long deadline = System.nanoTime() + runTimeout.toNanos();
        int done;
        while ((done = client.history(runId).size()) < steps) {
            if (RunClient.TERMINAL_STATUSES.contains(client.get(runId).path("status").asText()) || System.nanoTime() > deadline) {
                notes.add("run ended before " + steps + " steps: " + component + " not killed");
                return 0;
            }
            LocalStack.sleep(500);
        }
        long mayOvercount = 0;
        if (fault instanceof Fault.StopAndRestart) {
            notes.add(awaitJobsInProgress(component));
            long stopping = System.nanoTime();
            boolean byItself = stack.stop(component, STOP_GRACE);
            notes.add(String.format(Locale.ROOT, "%s sent SIGTERM after %d steps: %s in %.1f s", component, done,
                    byItself ? "exited by itself" : "still running, killed", (System.nanoTime() - stopping) / 1e9));
            lastLine(stack.logDir().resolve(component + ".log"), "jobs were in progress").ifPresent(notes::add);
        } else {
            if (component.startsWith("evaluator")) {
                mayOvercount = gauge(component, LLM_SLOTS).orElseThrow(() ->
                        new IllegalStateException(component + " does not report " + LLM_SLOTS)).longValue();
            }
            stack.kill(component);
            notes.add(component + " killed after " + done + " steps");
        }
        if (fault instanceof Fault.CrashAndRestart || fault instanceof Fault.StopAndRestart) {
            long restarting = System.nanoTime();
            stack.restart(component);
            notes.add(String.format(Locale.ROOT, "down %.0f s", (System.nanoTime() - restarting) / 1e9));
        }
        return mayOvercount;
    }

    /**
     * Waits until the evaluators have processed every evaluation request (their group's committed offsets reached the
     * end of each partition). A run can end while jobs it no longer needs still run: after a kill, jobs the dead
     * evaluator had taken are done again by the survivor once the group's session timeout (45 s) hands it their
     * partitions. Their calls belong to this run's cost; counted after the next run's reset of the simulator, they
     * would show as that run's gap.
     */
    private void awaitEvaluatorsIdle(List<String> notes) {
        long deadline = System.nanoTime() + EVALUATORS_IDLE.toNanos();
        Map<String, Object> config = KafkaClients.config(stack.kafkaClientConfig(KafkaBroker.ADMIN));
        try (Admin admin = KafkaClients.create(() -> Admin.create(config))) {
            while (!evaluatorsIdle(admin)) {
                if (System.nanoTime() > deadline) {
                    notes.add("evaluators still busy " + EVALUATORS_IDLE.toSeconds() + " s after the run's end");
                    return;
                }
                LocalStack.sleep(500);
            }
        } catch (ExecutionException | TimeoutException e) {
            notes.add("cannot tell whether the evaluators are idle: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean evaluatorsIdle(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(KafkaAccess.EVALUATOR.group())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(Topics.EVALUATION_REQUESTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(Topics.EVALUATION_REQUESTS).partitions()
                .forEach(p -> latest.put(new TopicPartition(Topics.EVALUATION_REQUESTS, p.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(end -> {
            OffsetAndMetadata done = committed.get(end.getKey());
            return (done == null ? 0 : done.offset()) >= end.getValue().offset();
        });
    }

    /**
     * Waits (up to 30 s) until the evaluator has a job in progress, by its gauge maspo_evaluator_jobs_in_progress, so
     * that the stop has something to drain; says what it saw.
     */
    private String awaitJobsInProgress(String evaluator) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Double> jobs = gauge(evaluator, JOBS_IN_PROGRESS);
            if (jobs.isPresent() && jobs.get() > 0) {
                return evaluator + " had " + jobs.get().longValue() + " jobs in progress";
            }
            LocalStack.sleep(100);
        }
        return evaluator + ": no job in progress seen within 30 s";
    }

    /** A gauge's value in a service's Prometheus metrics; empty when it is not (yet) reported or not answering. */
    private Optional<Double> gauge(String component, String name) {
        URI metrics = URI.create("http://127.0.0.1:" + stack.managementPort(component) + "/q/metrics");
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
            return value.find() ? Optional.of(Double.parseDouble(value.group(2))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The last line of a log holding {@code text}, without the log's time and level prefix. */
    private static Optional<String> lastLine(Path log, String text) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).reduce((a, b) -> b)
                    .map(l -> l.substring(Math.max(0, l.indexOf("shutdown:"))));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** Components killed for good by an earlier scenario come back, so every scenario starts on the full stack. */
    private void restoreStoppedComponents() {
        for (String component : stack.components()) {
            if (!stack.isRunning(component)) {
                stack.restart(component);
            }
        }
    }

    private static long reportedCalls(JsonNode run) {
        long calls = 0;
        for (JsonNode roleCost : run.path("cost")) {
            calls += roleCost.path("calls").asLong();
        }
        return calls;
    }

    /**
     * Rows of this run that share a request id, summed over every table (any schema the services' user sees) that has
     * both a run_id and a request_id column: each consumer is meant to store a request once however often it arrives.
     * Tables keyed by a report id are left out: the usage ledger holds many reports per request by design (the calls
     * counted before each wave of attempts, then their tokens), each stored once by its report id.
     */
    long duplicateRequestIds(String runId) {
        try (Connection db = database()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("""
                    SELECT table_schema, table_name FROM information_schema.columns
                    WHERE column_name IN ('run_id', 'request_id', 'report_id')
                      AND table_schema NOT IN ('pg_catalog', 'information_schema')
                    GROUP BY table_schema, table_name
                    HAVING count(*) FILTER (WHERE column_name IN ('run_id', 'request_id')) = 2
                       AND count(*) FILTER (WHERE column_name = 'report_id') = 0""")) {
                while (rs.next()) {
                    tables.add('"' + rs.getString(1) + "\".\"" + rs.getString(2) + '"');
                }
            }
            long duplicates = 0;
            for (String table : tables) {
                duplicates += count(db, "SELECT count(*) - count(DISTINCT request_id) FROM " + table + " WHERE run_id = ?", runId);
            }
            return duplicates;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count duplicates in PostgreSQL", e);
        }
    }

    private long count(String sql, String runId) {
        try (Connection db = database()) {
            return count(db, sql, runId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query PostgreSQL: " + sql, e);
        }
    }

    private static long count(Connection db, String sql, String runId) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, runId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection database() throws SQLException {
        LocalPostgres postgres = stack.postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    private void keep(String name, JsonNode run, JsonNode history) {
        try {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(name + ".json"), run.toPrettyString());
            Files.writeString(outDir.resolve(name + "-history.json"), history.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + outDir, e);
        }
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("""
                | scenario | status | same prompts | same history | duplicate ids | jobs (undisturbed) | paid calls: run / simulator received | wall s | wall ratio | notes |
                |---|---|---|---|---|---|---|---|---|---|
                """);
        for (Row r : rows) {
            long gap = r.reportedCalls() - r.simulatorRequests();
            String gapText = (gap == 0 ? "=" : String.format(Locale.ROOT, "%+d", gap))
                    + (r.mayOvercount() > 0 ? ", may exceed by ≤ " + r.mayOvercount() : "");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d (%d) | %d / %d (%s) | %.1f | %.2f | %s |%n",
                    r.scenario(), r.status(), yesNo(r.samePrompts()), yesNo(r.sameHistory()), r.duplicateIds(), r.jobs(),
                    r.baselineJobs(), r.reportedCalls(), r.simulatorRequests(), gapText,
                    r.wallSeconds(), r.wallRatio(), r.note().replace("|", "/")));
        }
        return out.toString();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "NO";
    }

    private static final String USAGE = """
            usage: chaos.sh [--no-build] [--scenarios a,b] [--spec FILE] [--layers D] [--timeout SECONDS]
              --scenarios a,b    the disturbed scenarios to run after the undisturbed one (default: all)
                                 %s
              --spec FILE        run spec JSON (default deploy/local/example-run.json)
              --layers D         override search.layersPerAgent (a shorter search)
              --timeout SECONDS  how long one run may take (default 1800)
            Exit code 0 when every row completed with the same prompts and history, no duplicates and a cost equal to the
            simulator's count; 1 otherwise.""".formatted(SCENARIOS.stream().map(Scenario::name).toList());

    public static void main(String[] args) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("error: bad argument " + args[i] + "\n" + USAGE);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        LocalStackOptions stackOptions = LocalStackOptions.defaults().withEvaluatorReplicas(2);
        Path specFile = options.containsKey("spec") ? Path.of(options.remove("spec")).toAbsolutePath()
                : stackOptions.projectRoot().resolve("deploy/local/example-run.json");
        ObjectNode spec = (ObjectNode) RunClient.json().readTree(Files.readString(specFile));
        String layers = options.remove("layers");
        if (layers != null) {
            ObjectNode search = (ObjectNode) spec.path("search");
            int depth = Integer.parseInt(layers);
            // A turn cannot be longer than the search (the paper's default turn is 3 layers).
            search.put("layersPerAgent", depth).put("layersPerTurn", Math.min(depth, search.path("layersPerTurn").asInt(3)));
        }
        Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "1800")));
        options.remove("timeout");
        List<Scenario> scenarios = options.containsKey("scenarios")
                ? List.of(options.remove("scenarios").split(",")).stream().map(String::strip).map(ChaosSuite::scenario).toList()
                : SCENARIOS;
        if (!options.isEmpty()) {
            System.err.println("error: unknown options " + options.keySet() + "\n" + USAGE);
            System.exit(2);
        }

        List<Row> rows = new ArrayList<>();
        Path outDir;
        try (LocalStack stack = LocalStack.start(stackOptions)) {
            outDir = stack.logDir().resolve("chaos");
            System.out.println("Stack ready (logs " + stack.logDir() + "); spec " + specFile);
            ChaosSuite suite = new ChaosSuite(stack, spec, outDir, timeout);
            rows.add(report(suite.runUndisturbed(true)));
            for (Scenario scenario : scenarios) {
                try {
                    rows.add(report(suite.run(scenario)));
                } catch (RuntimeException e) {
                    // The suite goes on: one scenario that breaks the stack is a finding, the others still count.
                    System.err.println(scenario.name() + " could not run: " + e);
                    rows.add(report(new Row(scenario.name(), "ERROR", false, false, 0, 0, 0, 0, 0, 0, 0, 0,
                            String.valueOf(e.getMessage()).lines().findFirst().orElse(""))));
                }
            }
            String table = "Chaos suite, " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC))
                    + " UTC, spec " + specFile.getFileName() + (layers == null ? "" : ", layersPerAgent " + layers)
                    + ", 2 evaluators\n\n" + table(rows);
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("results.md"), table);
            System.out.println();
            System.out.println(table);
            System.out.println("Runs, histories and this table: " + outDir);
        }
        System.exit(rows.stream().allMatch(Row::clean) ? 0 : 1);
    }

    private static Row report(Row row) {
        System.out.println(table(List.of(row)).lines().skip(2).findFirst().orElseThrow());
        return row;
    }
}
