package ai.maspo.evaluator.task.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs untrusted Python (a candidate module) against trusted tests inside a bubblewrap sandbox.
 *
 * <p>Isolation (bubblewrap): new user, PID, network, IPC, UTS and mount namespaces; a read-only view of /usr
 * (and the /bin, /lib* links or binds) and nothing else of the host file system; a fresh /proc; a read-only
 * root and /dev; a private, size-limited tmpfs as /tmp and working directory, gone when the sandbox ends; no network interface but a
 * down loopback, so no TCP and no host Unix socket is reachable; uid/gid 65534 and no capabilities inside; when
 * the evaluator runs as root, bubblewrap itself is started as uid 65534 (setpriv), so the sandbox is that
 * unprivileged user on the host too. The sandbox dies with its bwrap process, which dies with the evaluator.
 *
 * <p>Verdict: the trusted harness ({@code harness.py}) is PID 1 of the sandbox, makes itself non-dumpable and
 * runs the candidate in a child process; it runs the tests itself and calls into the child only for the
 * candidate's functions, receiving plain data it decodes strictly. It writes the report, with a per-run random
 * nonce received on stdin, to its stdout, which no other process of the sandbox can reach. A result is PASSED
 * only when that report carries the nonce and says every test passed. See docs/task-formats.md for what holds.
 *
 * <p>When bubblewrap or the interpreter cannot be used, {@link #run} throws {@link SandboxUnavailableException}:
 * code is never run unsandboxed. Thread-safe; every call is independent.
 */
public final class PythonSandbox {

    public static final String DEFAULT_BWRAP = "/usr/bin/bwrap";
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";
    /** the unprivileged uid/gid of the sandbox, inside and (when the evaluator is root) outside */
    static final int SANDBOX_ID = 65534;

    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final String HARNESS = harnessSource();
    private static final int MAX_REPORT_BYTES = 64 << 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String bwrap;
    private final String python;
    private final SandboxLimits limits;
    private final Optional<String> unavailable;

    /**
     * @param bwrap  the bubblewrap executable
     * @param python the interpreter, an absolute path under /usr (the only host tree the sandbox sees)
     */
    public PythonSandbox(String bwrap, String python, SandboxLimits limits) {
        this.bwrap = bwrap;
        this.python = python;
        this.limits = limits;
        this.unavailable = probe();
    }

    /** {@link #DEFAULT_BWRAP}, {@link #DEFAULT_PYTHON} and {@link SandboxLimits#defaults()} */
    public PythonSandbox() {
        this(DEFAULT_BWRAP, DEFAULT_PYTHON, SandboxLimits.defaults());
    }

    public SandboxLimits limits() {
        return limits;
    }

    /** empty when code checks can run; else why not (also the message of {@link SandboxUnavailableException}) */
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    /** for logs and health checks */
    public String isolation() {
        return unavailable.map(reason -> "unavailable: " + reason)
                .orElse("bubblewrap " + bwrap + ", " + python + ", uid " + SANDBOX_ID + (isRoot() ? " (setpriv)" : ""));
    }

    /**
     * Runs {@code tests} (Python statements, usually asserts, run by the trusted harness one after the other)
     * against {@code candidate} (a Python module run in a separate process; its top-level names are visible to
     * the tests) under the limits.
     *
     * @throws SandboxUnavailableException when bubblewrap or the interpreter cannot be used
     */
    public SandboxResult run(String candidate, List<String> tests) {
        return run(candidate, tests, limits);
    }

    public SandboxResult run(String candidate, List<String> tests, SandboxLimits runLimits) {
        if (unavailable.isPresent()) {
            throw new SandboxUnavailableException(unavailable.get());
        }
        return execute(candidate, tests, runLimits);
    }

    private SandboxResult execute(String candidate, List<String> tests, SandboxLimits l) {
        long started = System.nanoTime();
        String nonce = HexFormat.of().formatHex(randomBytes());
        byte[] request = request(nonce, candidate, tests, l);
        Process process;
        try {
            process = new ProcessBuilder(command(l)).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return new SandboxResult(SandboxOutcome.CRASHED, -1, "", elapsedSince(started), "could not start bubblewrap: " + e.getMessage());
        }
        BoundedReader output = new BoundedReader(process.getErrorStream(), l.maxOutputBytes(), () -> killTree(process));
        BoundedReader report = new BoundedReader(process.getInputStream(), MAX_REPORT_BYTES, () -> killTree(process));
        Thread outputThread = Thread.ofPlatform().daemon().name("sandbox-output").start(output);
        Thread reportThread = Thread.ofPlatform().daemon().name("sandbox-report").start(report);
        // written by another thread: a sandbox that never reads must not block us past the wall clock
        Thread.ofPlatform().daemon().name("sandbox-request").start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(request);
            } catch (IOException e) {
                // the sandbox ended before reading its request: the missing report says so
            }
        });
        boolean finished;
        try {
            finished = process.waitFor(l.wallClock().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        killTree(process);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            // The readers end at EOF, right after the process tree is gone; on a loaded machine (load average 20
            // seen) 3 s were once not enough and the output read empty although the report said FAILED.
            outputThread.join(Duration.ofSeconds(10));
            reportThread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = elapsedSince(started);
        int exit = process.isAlive() ? -1 : process.exitValue();
        String text = output.text();
        if (output.overflowed()) {
            return new SandboxResult(SandboxOutcome.CRASHED, exit, text, elapsed, "output exceeded " + l.maxOutputBytes() + " bytes");
        }
        if (!finished) {
            return new SandboxResult(SandboxOutcome.TIMED_OUT, exit, text, elapsed,
                    "wall-clock limit of " + l.wallClock().toMillis() + " ms exceeded");
        }
        return classify(report.text(), nonce, tests.size(), exit, text, elapsed);
    }

    /** only a report with this run's nonce counts; only "passed" with every test passed is a pass */
    private static SandboxResult classify(String reportText, String nonce, int tests, int exit, String output, Duration elapsed) {
        JsonNode report = null;
        for (String line : reportText.split("\n")) {
            JsonNode parsed = parse(line);
            if (parsed != null && nonce.equals(parsed.path("nonce").asText())) {
                report = parsed;
            }
        }
        if (report == null) {
            return new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed,
                    "the harness gave no report (exit code " + exit + ")" + (output.isBlank() ? "" : ": " + lastLine(output)));
        }
        String detail = report.path("detail").asText();
        return switch (report.path("outcome").asText()) {
            case "passed" -> report.path("passed").asInt(-1) == tests && tests > 0
                    ? new SandboxResult(SandboxOutcome.PASSED, exit, output, elapsed, detail)
                    : new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed, "inconsistent report: " + detail);
            case "failed" -> new SandboxResult(SandboxOutcome.FAILED, exit, output, elapsed, detail);
            case "timeout" -> new SandboxResult(SandboxOutcome.TIMED_OUT, exit, output, elapsed, detail);
            case "memory" -> new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed, "memory limit exceeded: " + detail);
            default -> new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed, detail);
        };
    }

    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static byte[] request(String nonce, String candidate, List<String> tests, SandboxLimits l) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("nonce", nonce);
        request.put("limits", Map.of("memoryBytes", l.memoryBytes(), "fileBytes", l.maxFileBytes(),
                "processes", l.maxProcesses(), "cpuSeconds", Math.max(1, (l.wallClock().toMillis() + 999) / 1000)));
        request.put("harness", HARNESS);
        request.put("candidate", candidate);
        request.put("tests", tests);
        try {
            return JSON.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bubblewrap command line. Not bound on purpose: /tmp, /run, /var/run (the host's Unix sockets), /home,
     * /root, /etc beyond what the dynamic loader reads, /sys.
     */
    private List<String> command(SandboxLimits l) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of(SETPRIV, "--reuid=" + SANDBOX_ID, "--regid=" + SANDBOX_ID, "--clear-groups", "--inh-caps=-all"));
        }
        command.addAll(List.of(bwrap, "--die-with-parent", "--new-session", "--as-pid-1",
                "--unshare-all", "--unshare-user", "--disable-userns", "--uid", "" + SANDBOX_ID, "--gid", "" + SANDBOX_ID,
                "--hostname", "sandbox", "--ro-bind", "/usr", "/usr"));
        for (String dir : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path path = Path.of(dir);
            if (Files.isSymbolicLink(path)) {
                command.addAll(List.of("--symlink", readLink(path), dir));
            } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                command.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        command.addAll(List.of("--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                "--ro-bind-try", "/etc/localtime", "/etc/localtime",
                "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
                "--size", "" + l.maxFileBytes(), "--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", "/tmp",
                "--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--setenv", "PATH", "/usr/bin:/bin",
                "--setenv", "LANG", "C.UTF-8",
                "--", python, "-I", "-S", "-B", "-c", HARNESS, "driver"));
        return command;
    }

    /** empty when a trivial program passes in the sandbox, else why the sandbox cannot be used */
    private Optional<String> probe() {
        if (!Files.isExecutable(Path.of(bwrap))) {
            return Optional.of("bubblewrap not found at " + bwrap + " (Debian package bubblewrap)");
        }
        if (!Path.of(python).isAbsolute() || !Path.of(python).normalize().startsWith("/usr/")) {
            return Optional.of("the interpreter " + python + " is not under /usr, the only host tree the sandbox sees");
        }
        if (isRoot() && !Files.isExecutable(Path.of(SETPRIV))) {
            return Optional.of("running as root needs " + SETPRIV + " (util-linux) to start the sandbox unprivileged");
        }
        SandboxResult result = execute("import math\nx = math.floor(1.5)\n", List.of("assert x == 1"),
                limits.withWallClock(Duration.ofSeconds(20)));
        return result.passed() ? Optional.empty()
                : Optional.of("the sandbox does not run a trivial program: " + result.outcome() + " " + result.detail()
                + " " + lastLine(result.output()));
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String harnessSource() {
        try (InputStream in = PythonSandbox.class.getResourceAsStream("harness.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("harness.py missing from the evaluator's classpath", e);
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static Duration elapsedSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Keeps at most {@code cap} bytes; past that it stops keeping and calls {@code onOverflow} once. */
    private static final class BoundedReader implements Runnable {
        private final InputStream in;
        private final int cap;
        private final Runnable onOverflow;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final AtomicBoolean overflowed = new AtomicBoolean();

        BoundedReader(InputStream in, int cap, Runnable onOverflow) {
            this.in = in;
            this.cap = cap;
            this.onOverflow = onOverflow;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        int room = cap - kept.size();
                        kept.write(buffer, 0, Math.min(room, n));
                        if (n > room) {
                            if (overflowed.compareAndSet(false, true)) {
                                onOverflow.run();
                            }
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // stream closed after the process ended
            }
        }

        boolean overflowed() {
            return overflowed.get();
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
