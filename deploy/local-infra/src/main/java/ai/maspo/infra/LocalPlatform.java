package ai.maspo.infra;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The long-running local platform (deploy/local/platform.sh): the whole stack of the local run, kept up until stopped,
 * with its data in a state folder ({@link PlatformState#defaultDir()}, or {@code --data DIR}) so that runs, datasets,
 * history and credentials survive a stop and start.
 * <ul>
 *   <li>{@code run}: in the foreground; Ctrl-C (or SIGTERM) stops it through the stack's ordered close.</li>
 *   <li>{@code start}: the same in the background (its output in {@code DIR/platform.out}); returns once it is ready.</li>
 *   <li>{@code stop}: SIGTERM to the running platform, then waits until everything stopped.</li>
 *   <li>{@code status}: exit code 0 and the URL and key when it runs, 1 when it does not.</li>
 * </ul>
 */
public final class LocalPlatform {
    private static final String USAGE = """
            usage: platform.sh start|run|stop|status [--no-build] [--data DIR] [--evaluators N]
              start          start in the background, return once ready (output in DIR/platform.out)
              run            start in the foreground; Ctrl-C stops everything
              stop           stop the platform running on DIR
              status         show whether it runs, its URL and admin key (exit code 0: running, 1: not)
              --data DIR     state folder: PostgreSQL, Kafka, credentials, logs (default $MASPO_PLATFORM_DIR or ~/.maspo/local)
              --evaluators N evaluator replicas (default 1)""";
    private static final String LOCAL_USER = "local-user";
    private static final String OUTPUT = "platform.out";
    /** A whole stack start took up to 8 minutes on a loaded 2-core machine; scaled further with the load. */
    private static final Duration START_LIMIT = Duration.ofMinutes(10);
    private static final Duration STOP_LIMIT = Duration.ofMinutes(2);

    private LocalPlatform() {
    }

    record Args(String command, Path dir, int evaluators) {
        static Args parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("missing command");
            }
            Path dir = PlatformState.defaultDir();
            int evaluators = 1;
            for (int i = 1; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--data" -> dir = Path.of(require(value, "--data")).toAbsolutePath();
                    case "--evaluators" -> evaluators = Integer.parseInt(require(value, "--evaluators"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (!List.of("start", "run", "stop", "status").contains(args[0])) {
                throw new IllegalArgumentException("unknown command " + args[0]);
            }
            return new Args(args[0], dir, evaluators);
        }

        private static String require(String value, String option) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    public static int run(String[] argv) {
        if (List.of(argv).contains("--help") || List.of(argv).contains("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        Args args;
        try {
            args = Args.parse(argv);
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            return switch (args.command()) {
                case "run" -> foreground(args);
                case "start" -> background(args);
                case "stop" -> stop(args.dir());
                default -> status(args.dir());
            };
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int foreground(Args args) {
        PrintStream out = System.out;
        Optional<PlatformState> running = PlatformState.readLive(args.dir());
        if (running.isPresent()) {
            System.err.println("error: a platform already runs on " + args.dir() + " (pid " + running.get().pid() + ", "
                    + running.get().orchestratorUrl() + ")");
            return 1;
        }
        long started = System.nanoTime();
        out.println("Starting the local platform on " + args.dir() + " (" + args.evaluators() + " evaluator(s))...");
        LocalStack stack = LocalStack.start(LocalStackOptions.defaults().withEvaluatorReplicas(args.evaluators())
                .withStateDir(args.dir()));
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: the stack stops in order (its own hook does the same; close() is idempotent), and the
        // state file goes last, so `status` says "running" until nothing runs any more.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            PlatformState.delete(args.dir());
            stopped.countDown();
        }, "maspo-platform-stop"));
        PlatformState state = new PlatformState(ProcessHandle.current().pid(), stack.orchestratorUrl(),
                stack.credentials().adminApiKey(), stack.simulatorUrl().orElse(null), stack.logDir().toString(),
                Instant.now().toString());
        state.write(args.dir());
        out.printf("Ready in %.1f s.%n%s%n", (System.nanoTime() - started) / 1e9, banner(stack, args.dir()));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** URLs, credentials and what to type next: printed at every start. */
    static String banner(LocalStack stack, Path dir) {
        String url = stack.orchestratorUrl();
        String key = stack.credentials().adminApiKey();
        return String.format("""
                MASPO local platform, data in %1$s (logs %2$s)
                  orchestrator:  %3$s   (OpenAPI %3$s/q/openapi)
                  LLM:           %4$s
                  admin API key: %5$s   (kept in %1$s/credentials, the same at every start)
                  JWT of user "%6$s" (12 h): %7$s
                Try:
                  deploy/local/maspo submit deploy/local/example-run.json --watch
                  deploy/local/maspo list
                  curl -H 'Authorization: Bearer %5$s' %3$s/api/v1/runs
                The CLI finds this platform through %1$s/%8$s; or export MASPO_URL=%3$s MASPO_API_KEY=%5$s
                Stop: deploy/local/platform.sh stop%9$s (or Ctrl-C when started with run)""",
                dir, stack.logDir(), url, stack.llmBaseUrl(), key, LOCAL_USER,
                stack.credentials().token(LOCAL_USER, Duration.ofHours(12)), PlatformState.FILE,
                dir.equals(PlatformState.defaultDir()) ? "" : " --data " + dir);
    }

    /** Starts {@code run} as a detached process of the same JVM and classpath and waits until it published its state. */
    private static int background(Args args) {
        Optional<PlatformState> running = PlatformState.readLive(args.dir());
        if (running.isPresent()) {
            System.out.println("Already running on " + args.dir() + ": " + running.get().orchestratorUrl() + " (pid "
                    + running.get().pid() + ")");
            return 0;
        }
        Path output = args.dir().resolve(OUTPUT);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // its own session: the terminal's Ctrl-C or hang-up never reaches it
        }
        command.addAll(List.of(ChildProcess.javaExecutable(), "-Xmx256m",
                "-D" + ProjectLayout.ROOT_PROPERTY + "=" + ProjectLayout.findRoot(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), LocalPlatform.class.getName(),
                "run", "--data", args.dir().toString(), "--evaluators", Integer.toString(args.evaluators())));
        Process process;
        try {
            Files.createDirectories(args.dir());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(new File("/dev/null")).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the platform: " + e.getMessage(), e);
        }
        System.out.println("Starting the local platform in the background (pid " + process.pid() + ", output " + output + ")...");
        ReadinessDeadline deadline = ReadinessDeadline.start(START_LIMIT);
        while (!deadline.passed()) {
            if (PlatformState.readLive(args.dir()).filter(s -> s.pid() == process.pid()).isPresent()) {
                System.out.println(ChildProcess.tail(output, 200));
                return 0;
            }
            if (!process.isAlive()) {
                System.err.println("The platform did not start:\n" + ChildProcess.tail(output, 40));
                return 1;
            }
            LocalStack.sleep(500);
        }
        process.toHandle().destroy(); // its shutdown hook stops whatever had started
        System.err.println("The platform was not ready after " + deadline.limit().toSeconds() + " s:\n" + ChildProcess.tail(output, 40));
        return 1;
    }

    private static int stop(Path dir) {
        Optional<ProcessHandle> platform = platformProcess(dir);
        if (platform.isEmpty()) {
            System.out.println("No platform runs on " + dir + ".");
            return 0;
        }
        System.out.println("Stopping the platform (pid " + platform.get().pid() + ")...");
        platform.get().destroy(); // SIGTERM: its shutdown hook stops the services, then the simulator, PostgreSQL and Kafka
        try {
            platform.get().onExit().get(ReadinessDeadline.scaled(STOP_LIMIT).toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("The platform did not stop within " + STOP_LIMIT.toSeconds() + " s; pid " + platform.get().pid());
            return 1;
        }
        System.out.println("Stopped; the data stays in " + dir + ".");
        return 0;
    }

    /**
     * The platform's process: from its state file once it is ready, else (still starting) any live LocalPlatform
     * holding this folder, found by its command line.
     */
    private static Optional<ProcessHandle> platformProcess(Path dir) {
        Optional<PlatformState> state = PlatformState.readLive(dir);
        if (state.isPresent()) {
            return ProcessHandle.of(state.get().pid());
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(LocalPlatform.class.getName())
                        && List.of(a).contains("run") && List.of(a).contains(dir.toString())).orElse(false))
                .findFirst();
    }

    private static int status(Path dir) {
        Optional<PlatformState> state = PlatformState.readLive(dir);
        if (state.isEmpty()) {
            System.out.println(platformProcess(dir).isPresent() ? "Starting on " + dir + "." : "Not running on " + dir + ".");
            return 1;
        }
        PlatformState s = state.get();
        System.out.printf("Running on %s since %s (pid %d)%n  orchestrator:  %s%n  admin API key: %s%n  logs:          %s%n",
                dir, s.startedAt(), s.pid(), s.orchestratorUrl(), s.adminApiKey(), s.logDir());
        return 0;
    }
}
