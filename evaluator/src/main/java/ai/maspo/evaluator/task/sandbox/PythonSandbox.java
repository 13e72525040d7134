package ai.maspo.evaluator.task.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Runs untrusted Python (candidate code followed by its tests) in a separate {@code python3} process.
 *
 * <p>Isolation, strongest available first (probed once, see {@link #isolation()}):
 * <ul>
 *   <li>{@code unshare -n -p -f --kill-child}: an empty network namespace (no interface but a down
 *       loopback) and a PID namespace, so killing the program's first process kills every process it
 *       forked; used when running as root, and then the program also drops to uid/gid 65534 (nobody)
 *       before running, so RLIMIT_NPROC applies and root-only files are unreadable;</li>
 *   <li>{@code unshare -rn -p -f --kill-child}: the same namespaces through an unprivileged user namespace;</li>
 *   <li>none: sockets are disabled in-process by the preamble (bypassable by determined code) and the
 *       process tree is killed through {@link ProcessHandle#descendants()} (orphans can escape).</li>
 * </ul>
 * Always: a fresh temporary directory as working directory, HOME and TMPDIR, deleted afterwards; an
 * empty environment; {@code python -I -S -B}; rlimits on address space, CPU time, file size, processes
 * and core dumps; a wall-clock timeout; output read through a bounded buffer. Not prevented: reading
 * world-readable files (e.g. /etc/passwd) and writing to world-writable ones (/tmp, as uid 65534).
 *
 * <p>Thread-safe; every call is independent.
 */
public final class PythonSandbox {

    /**
     * Exit codes set by the preamble, chosen outside what Python itself uses. A pass has its own code, so a program
     * that ends the process early with {@code os._exit(0)} is not mistaken for one whose tests all ran.
     */
    static final int EXIT_PASSED = 100;
    static final int EXIT_ASSERTION = 101;
    static final int EXIT_ERROR = 102;
    static final int EXIT_MEMORY = 103;
    static final int EXIT_EARLY = 104;

    private static final int SIGXCPU = 24;
    private static final int SIGKILL = 9;
    private static final String PROGRAM_FILE = "program.py";
    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    private static final String PREAMBLE = """
            import os, sys, resource, traceback
            with open(%s, encoding='utf-8') as f:
                source = f.read()
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_AS, (%d, %d))
            resource.setrlimit(resource.RLIMIT_CPU, (%d, %d))
            resource.setrlimit(resource.RLIMIT_FSIZE, (%d, %d))
            if %s and os.getuid() == 0:
                try:
                    os.chown('.', 65534, 65534)
                    os.setgroups([])
                    os.setgid(65534)
                    os.setuid(65534)
                except OSError:
                    pass
            resource.setrlimit(resource.RLIMIT_NPROC, (%d, %d))
            try:
                os.setsid()
            except OSError:
                pass
            if %s:
                import socket, _socket
                def _no_network(*args, **kwargs):
                    raise OSError('network access is disabled in the sandbox')
                socket.socket = _socket.socket = socket.create_connection = socket.socketpair = _no_network
            sys.argv = [%s]
            try:
                exec(compile(source, %s, 'exec'), {'__name__': '__main__', '__builtins__': __builtins__})
            except AssertionError:
                traceback.print_exc()
                sys.stderr.flush()
                os._exit(%d)
            except MemoryError:
                os._exit(%d)
            except SystemExit:
                print('program called exit() before its tests completed', file=sys.stderr)
                sys.stderr.flush()
                os._exit(%d)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
                os._exit(%d)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(%d)
            """;

    private final String python;
    private final SandboxLimits limits;
    private final IsolationMode mode;

    /**
     * @param python interpreter command or path; a PATH shim (pyenv) is resolved to the real binary,
     *               because the sandbox runs with an empty environment
     * @throws IllegalStateException when the interpreter cannot be run at all
     */
    public PythonSandbox(String python, SandboxLimits limits) {
        this.limits = limits;
        this.python = resolveInterpreter(python);
        this.mode = probeIsolation();
    }

    /** {@link #defaultInterpreter()} with {@link SandboxLimits#defaults()} */
    public PythonSandbox() {
        this(defaultInterpreter(), SandboxLimits.defaults());
    }

    /**
     * {@code /usr/bin/python3} when present, else {@code python3} from PATH: a system interpreter is
     * readable by uid 65534, so the privilege drop (and with it RLIMIT_NPROC) can apply; an interpreter
     * under a private home (pyenv in /root) cannot be used after dropping.
     */
    public static String defaultInterpreter() {
        return Files.isExecutable(Path.of(SYSTEM_PYTHON)) ? SYSTEM_PYTHON : "python3";
    }

    public SandboxLimits limits() {
        return limits;
    }

    /** the namespace wrapper in use, e.g. "unshare -n -p -f --kill-child", or "none" */
    public String isolation() {
        return mode.prefix().isEmpty() ? "none" : String.join(" ", mode.prefix());
    }

    /** true when programs run in their own network and PID namespaces */
    public boolean networkNamespace() {
        return !mode.prefix().isEmpty();
    }

    /** true when programs run as uid 65534 rather than as the evaluator's user */
    public boolean dropsPrivileges() {
        return mode.dropPrivileges();
    }

    /** Runs {@code program} (a complete Python module: candidate code and its asserts) under the limits. */
    public SandboxResult run(String program) {
        return run(program, limits);
    }

    public SandboxResult run(String program, SandboxLimits runLimits) {
        return runIn(program, runLimits, mode);
    }

    private SandboxResult runIn(String program, SandboxLimits runLimits, IsolationMode runMode) {
        long started = System.nanoTime();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("maspo-sandbox-");
            Files.writeString(dir.resolve(PROGRAM_FILE), program, StandardCharsets.UTF_8);
            return execute(dir, runLimits, runMode, started);
        } catch (IOException e) {
            return new SandboxResult(SandboxOutcome.CRASHED, -1, "", elapsedSince(started), "could not start: " + e.getMessage());
        } finally {
            deleteQuietly(dir);
        }
    }

    private SandboxResult execute(Path dir, SandboxLimits runLimits, IsolationMode runMode, long started) throws IOException {
        List<String> command = new ArrayList<>(runMode.prefix());
        command.addAll(List.of(python, "-I", "-S", "-B", "-c", preamble(runLimits, runMode)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("TMPDIR", dir.toString());
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        Process process = builder.start();
        BoundedReader reader = new BoundedReader(process.getInputStream(), runLimits.maxOutputBytes(), () -> killTree(process));
        Thread readerThread = Thread.ofPlatform().daemon().name("sandbox-output").start(reader);
        boolean finished;
        try {
            finished = process.waitFor(runLimits.wallClock().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        killTree(process); // also reaps anything the program left running in the background
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            // a leftover process holding the pipe open must not keep us waiting for EOF
            readerThread.join(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.getInputStream().close();
        String output = reader.text();
        Duration elapsed = elapsedSince(started);
        int exit = process.isAlive() ? -1 : process.exitValue();
        if (reader.overflowed()) {
            return new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed,
                    "output exceeded " + runLimits.maxOutputBytes() + " bytes");
        }
        if (!finished) {
            return new SandboxResult(SandboxOutcome.TIMED_OUT, exit, output, elapsed,
                    "wall-clock limit of " + runLimits.wallClock().toMillis() + " ms exceeded");
        }
        return classify(exit, output, elapsed);
    }

    private static SandboxResult classify(int exit, String output, Duration elapsed) {
        return switch (exit) {
            case EXIT_PASSED -> new SandboxResult(SandboxOutcome.PASSED, exit, output, elapsed, "all tests passed");
            case 0 -> new SandboxResult(SandboxOutcome.FAILED, exit, output, elapsed,
                    "the program ended the process (exit code 0) before its tests completed");
            case EXIT_ASSERTION -> new SandboxResult(SandboxOutcome.FAILED, exit, output, elapsed, "a test assertion failed");
            case EXIT_ERROR -> new SandboxResult(SandboxOutcome.FAILED, exit, output, elapsed, "the program raised " + lastLine(output));
            case EXIT_EARLY -> new SandboxResult(SandboxOutcome.FAILED, exit, output, elapsed, "the program exited before its tests completed");
            case EXIT_MEMORY -> new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed, "memory limit exceeded");
            case 128 + SIGXCPU -> new SandboxResult(SandboxOutcome.TIMED_OUT, exit, output, elapsed, "CPU-time limit exceeded");
            default -> new SandboxResult(SandboxOutcome.CRASHED, exit, output, elapsed,
                    exit > 128 ? "killed by signal " + (exit - 128) : "abnormal exit code " + exit);
        };
    }

    private String preamble(SandboxLimits l, IsolationMode runMode) {
        long cpuSeconds = Math.max(1, (l.wallClock().toMillis() + 999) / 1000);
        String file = "'" + PROGRAM_FILE + "'";
        return PREAMBLE.formatted(file, l.memoryBytes(), l.memoryBytes(), cpuSeconds, cpuSeconds + 1,
                l.maxFileBytes(), l.maxFileBytes(), pythonBool(runMode.dropPrivileges()), l.maxProcesses(), l.maxProcesses(),
                pythonBool(runMode.prefix().isEmpty()), file, file,
                EXIT_ASSERTION, EXIT_MEMORY, EXIT_EARLY, EXIT_ERROR, EXIT_PASSED);
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String pythonBool(boolean value) {
        return value ? "True" : "False";
    }

    /** a namespace wrapper command, and whether the preamble switches to uid/gid 65534 */
    private record IsolationMode(List<String> prefix, boolean dropPrivileges) {
    }

    /**
     * The strongest mode under which the real preamble runs a program importing common stdlib modules
     * (dropping privileges fails that test when the interpreter lives where nobody cannot read, e.g. /root/.pyenv).
     */
    private IsolationMode probeIsolation() {
        String probe = "import math, json, re, collections, itertools, heapq, typing\nimport os\n"
                + "assert os.getuid() != 0 or not DROP\n".replace("DROP", "%s");
        List<String> rootNamespaces = List.of("unshare", "-n", "-p", "-f", "--kill-child");
        List<String> userNamespaces = List.of("unshare", "-rn", "-p", "-f", "--kill-child");
        SandboxLimits probeLimits = limits.withWallClock(Duration.ofSeconds(10));
        for (IsolationMode candidate : List.of(
                new IsolationMode(rootNamespaces, true),
                new IsolationMode(rootNamespaces, false),
                new IsolationMode(userNamespaces, false),
                new IsolationMode(List.of(), true),
                new IsolationMode(List.of(), false))) {
            if (runIn(probe.formatted(pythonBool(candidate.dropPrivileges())), probeLimits, candidate).passed()) {
                return candidate;
            }
        }
        throw new IllegalStateException("python sandbox cannot run " + python + " at all");
    }

    private static String resolveInterpreter(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
            throw new IllegalStateException("python interpreter '" + python + "' failed: " + out);
        } catch (IOException e) {
            throw new IllegalStateException("python interpreter '" + python + "' not found", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while locating python", e);
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static Duration elapsedSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is harmless; the result matters more than the cleanup
        }
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
            try {
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
                // stream closed by us after the process ended
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
