package ai.maspo.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose output (stdout and stderr) goes to a log file, and which is stopped with its
 * whole process tree: SIGTERM first so it can shut down cleanly, then SIGKILL after a grace period.
 * Every live child is also registered with a JVM shutdown hook, so Ctrl-C or a crashed test JVM
 * never leaves a broker or a service running.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** Insertion-ordered so the hook stops children in reverse start order, like an orderly close. */
    private static final Map<ChildProcess, Boolean> LIVE = new LinkedHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAllLive, "maspo-child-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command}; {@code env} entries are added to (and override) this JVM's environment. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(inOwnSession(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            ChildProcess child = new ChildProcess(name, builder.start(), logFile);
            synchronized (LIVE) {
                LIVE.put(child, Boolean.TRUE);
            }
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /**
     * Runs the command in its own session when util-linux setsid exists, so a Ctrl-C in the terminal
     * reaches only this JVM, whose shutdown hooks then stop the children in order (services before the
     * broker they are still talking to). setsid execs in place (the child is no group leader), so the
     * pid stays the command's.
     */
    private static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /** The java executable of the running JVM, so children use the same JDK (run.sh selected one ≥ 21). */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log at " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Waits for the process to end by itself and returns its exit code; on timeout it is stopped and this throws. */
    public int awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (LIVE) {
                    LIVE.remove(this);
                }
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s:\n" + logTail(30));
    }

    /** SIGTERM, wait up to 15 s, then SIGKILL of the process and every descendant. Idempotent. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    /** SIGKILL of the process and every descendant, as a crash or {@code kill -9} would; waits until it is gone. */
    public void kill() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (LIVE) {
            LIVE.remove(this);
        }
    }

    /**
     * SIGTERM, up to {@code grace} for the process to end, then SIGKILL of the process and every descendant.
     * Returns whether it ended by itself within the grace period.
     */
    public boolean stop(Duration grace) {
        // Descendants are collected before the parent dies: afterwards they are re-parented and unreachable.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        boolean ended = false;
        try {
            ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.addAll(process.descendants().toList());
        for (ProcessHandle descendant : tree) {
            descendant.destroyForcibly();
        }
        synchronized (LIVE) {
            LIVE.remove(this);
        }
        return ended;
    }

    private static void stopAllLive() {
        List<ChildProcess> children;
        synchronized (LIVE) {
            children = new ArrayList<>(LIVE.keySet());
        }
        // The same grace as close(): this hook runs alongside LocalStack's orderly close, and a shorter one killed an
        // orchestrator still leaving its consumer groups (the persistent platform's next start then waited out the
        // dead members' sessions before its first run moved).
        for (ChildProcess child : children.reversed()) {
            child.stop(DEFAULT_GRACE);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
