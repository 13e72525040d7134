package ai.maspo.cli;

import ai.maspo.infra.PlatformState;
import ai.maspo.infra.RunClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line client of the orchestrator's API ({@code deploy/local/maspo}). The orchestrator and the credential
 * come from {@code --url} / {@code --api-key}, else {@code MASPO_URL} / {@code MASPO_API_KEY}, else the state file of
 * the local platform ({@code --platform-dir}, {@code MASPO_PLATFORM_DIR}, {@code ~/.maspo/local}). Results go to
 * stdout, progress and errors to stderr; the exit codes are {@link #OK} ... {@link #TIMED_OUT}.
 */
@Command(name = "maspo", mixinStandardHelpOptions = true, version = "maspo 0.1.0",
        description = "Submit, follow and inspect MASPO optimization runs.",
        subcommands = {SubmitCommand.class, ListCommand.class, StatusCommand.class, EventsCommand.class,
                CancelCommand.class, ExportCommand.class, HistoryCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok (a watched or finished run COMPLETED)",
                "1:the run FAILED or was STOPPED",
                "2:usage error (options, unreadable spec file, no orchestrator or credential configured)",
                "3:API error (orchestrator unreachable, credential refused: 401/403, server error)",
                "4:not found (404: no such run, or not yours)",
                "5:request refused (400/409: invalid spec, run already finished)",
                "6:timed out while watching"})
public final class Maspo {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int USAGE = 2;
    public static final int API_ERROR = 3;
    public static final int NOT_FOUND = 4;
    public static final int REFUSED = 5;
    public static final int TIMED_OUT = 6;

    /** How long a one-shot request keeps retrying a restarting orchestrator; watching waits longer (see {@link #client(Duration)}). */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** Following a run rides out an orchestrator restart or a database outage, as the local run does. */
    static final Duration WATCH_PATIENCE = Duration.ofMinutes(5);

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "orchestrator base URL (default: $MASPO_URL, else the local platform's)")
    String url;

    @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key mk_... or a JWT (default: $MASPO_API_KEY, else the local platform's admin key)")
    String apiKey;

    @Option(names = "--platform-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "state folder of the local platform (default: $MASPO_PLATFORM_DIR or ~/.maspo/local)")
    Path platformDir;

    private final Map<String, String> env;

    Maspo(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(execute(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with this environment and these streams; returns the exit code. */
    public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Maspo(env));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            int code = exitCode(e);
            cmd.getErr().println("error: " + message(e));
            return code;
        });
        return commandLine.execute(args);
    }

    static int exitCode(Exception e) {
        if (e instanceof RunClient.ApiException api) {
            return switch (api.status()) {
                case 404 -> NOT_FOUND;
                case 400, 409, 422 -> REFUSED;
                default -> API_ERROR;
            };
        }
        if (e instanceof UsageException) {
            return USAGE;
        }
        if (e instanceof WatchTimeout) {
            return TIMED_OUT;
        }
        return API_ERROR; // unreachable orchestrator (UncheckedIOException), retries exhausted, unreadable answers
    }

    private static String message(Exception e) {
        if (e instanceof RunClient.ApiException api) {
            return switch (api.status()) {
                case 401 -> "the orchestrator refused the credential (401); check --api-key / MASPO_API_KEY";
                case 403 -> "not allowed (403): " + api.body();
                // the run's 404 names it; a bare one comes from a route this orchestrator lacks (an older version)
                case 404 -> api.body().isBlank() ? api.getMessage() + "(no such run, or no such endpoint on this orchestrator)" : api.getMessage();
                default -> api.getMessage();
            };
        }
        if (e instanceof UncheckedIOException io && io.getCause() != null) {
            return io.getMessage() + " (" + io.getCause() + ")";
        }
        return e.getMessage();
    }

    /** A mistake of the caller, before any request: exit code {@link #USAGE}. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Watching ended at its time limit while the run went on: exit code {@link #TIMED_OUT}. */
    static final class WatchTimeout extends RuntimeException {
        WatchTimeout(String message) {
            super(message);
        }
    }

    /** Where to send requests, and with which credential; the simulator URL comes only from a local platform. */
    record Target(String url, String credential, Optional<String> simulatorUrl) {
    }

    Target target() {
        Optional<PlatformState> platform = PlatformState.readLive(platformDir != null ? platformDir.toAbsolutePath() : PlatformState.defaultDir(env));
        String resolvedUrl = first(url, env.get("MASPO_URL"), platform.map(PlatformState::orchestratorUrl).orElse(null));
        String credential = first(apiKey, env.get("MASPO_API_KEY"), platform.map(PlatformState::adminApiKey).orElse(null));
        if (resolvedUrl == null) {
            throw new UsageException("no orchestrator: pass --url, set MASPO_URL, or start the local platform "
                    + "(deploy/local/platform.sh start)");
        }
        if (credential == null) {
            throw new UsageException("no credential: pass --api-key or set MASPO_API_KEY");
        }
        return new Target(resolvedUrl.replaceAll("/+$", ""), credential, platform.map(PlatformState::simulatorUrl));
    }

    RunClient client() {
        return client(PATIENCE);
    }

    /** {@code patience}: how long each GET retries an unreachable or failing (5xx) orchestrator. */
    RunClient client(Duration patience) {
        Target target = target();
        return new RunClient(target.url(), target.credential(), patience);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
