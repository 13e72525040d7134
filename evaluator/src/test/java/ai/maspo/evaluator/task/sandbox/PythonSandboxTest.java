package ai.maspo.evaluator.task.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PythonSandboxTest {

    /**
     * Programs that never end get a short limit; programs expected to finish get the default one, since starting
     * unshare and Python can take seconds on a loaded machine. The time bounds leave room for a slow kill but not for
     * a missed one (a kill that fails waits for the process another 5 s and the readers 3 s).
     */
    private static final Duration SHORT = Duration.ofSeconds(2);
    private static PythonSandbox sandbox;
    private static SandboxLimits shortLimits;

    @BeforeAll
    static void createSandbox() {
        sandbox = new PythonSandbox(PythonSandbox.defaultInterpreter(), SandboxLimits.defaults());
        shortLimits = sandbox.limits().withWallClock(SHORT);
    }

    @Test
    void passingAndFailingTestsAreTellApart() {
        String function = "def add(a, b):\n    return a + b\n";
        assertThat(sandbox.run(function + "assert add(2, 3) == 5\n").outcome()).isEqualTo(SandboxOutcome.PASSED);

        SandboxResult failed = sandbox.run(function + "assert add(2, 3) == 6\n");
        assertThat(failed.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(failed.output()).contains("AssertionError");
    }

    @Test
    void syntaxErrorsAndExceptionsAreFailuresOfTheCandidate() {
        SandboxResult syntax = sandbox.run("def broken(:\n    pass\n");
        assertThat(syntax.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(syntax.detail()).contains("SyntaxError");

        SandboxResult raised = sandbox.run("assert undefined_function(1) == 1\n");
        assertThat(raised.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(raised.detail()).contains("NameError");
    }

    @Test
    void exitingBeforeTheTestsIsNotAPass() {
        SandboxResult result = sandbox.run("import sys\nsys.exit(0)\nassert False\n");
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.FAILED);

        SandboxResult hardExit = sandbox.run("import os\nos._exit(0)\nassert False\n");
        assertThat(hardExit.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(hardExit.detail()).contains("before its tests completed");
    }

    @Test
    void infiniteLoopIsKilledAtTheWallClockLimit() {
        SandboxResult result = sandbox.run("import time\nwhile True:\n    time.sleep(0.01)\n", shortLimits);
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.TIMED_OUT);
        assertThat(result.elapsed()).isLessThan(SHORT.plusSeconds(6));
    }

    @Test
    void busyLoopIsStoppedByTimeOrCpuLimit() {
        SandboxResult result = sandbox.run("while True:\n    pass\n", shortLimits);
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.TIMED_OUT);
    }

    @Test
    void forkBombIsContainedAndLeavesNoProcessBehind() {
        long before = countSandboxChildren();
        SandboxResult result = sandbox.run("""
                import os
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
                """, shortLimits);
        assertThat(result.outcome()).isIn(SandboxOutcome.TIMED_OUT, SandboxOutcome.CRASHED);
        assertThat(result.elapsed()).isLessThan(SHORT.plusSeconds(7));
        assertThat(countSandboxChildren()).isLessThanOrEqualTo(before);
        // the evaluator can still start processes afterwards
        assertThat(sandbox.run("assert 1 + 1 == 2\n").passed()).isTrue();
    }

    @Test
    void backgroundChildrenDoNotOutliveTheRun() throws Exception {
        Path marker = Files.createTempFile("sandbox-orphan", ".txt");
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            SandboxResult result = sandbox.run("""
                    import os, time
                    if os.fork() == 0:
                        time.sleep(1.5)
                        open('%s', 'w').write('orphan survived')
                        os._exit(0)
                    """.formatted(marker));
            assertThat(result.outcome()).isEqualTo(SandboxOutcome.PASSED);
            Thread.sleep(2500);
            assumeTrue(sandbox.networkNamespace(), "without a PID namespace orphans can escape (documented limit)");
            assertThat(Files.readString(marker)).isEmpty();
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void hugeOutputIsCappedAndKilled() {
        SandboxResult result = sandbox.run("while True:\n    print('x' * 10000)\n");
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.CRASHED);
        assertThat(result.detail()).contains("output exceeded");
        assertThat(result.output().length()).isLessThanOrEqualTo(sandbox.limits().maxOutputBytes());
    }

    @Test
    void memoryHogHitsTheAddressSpaceLimit() {
        SandboxResult result = sandbox.run("data = bytearray(2 * 1024 * 1024 * 1024)\nassert False\n");
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.CRASHED);
        assertThat(result.detail()).contains("memory");
    }

    @Test
    void largeFilesAreRefused() {
        SandboxResult result = sandbox.run("""
                with open('big.bin', 'wb') as f:
                    f.write(b'0' * (64 * 1024 * 1024))
                """);
        assertThat(result.outcome()).isNotEqualTo(SandboxOutcome.PASSED);
    }

    @Test
    void runsInAFreshEmptyDirectoryWithAnEmptyEnvironment() {
        SandboxResult result = sandbox.run("""
                import os
                assert sorted(os.listdir('.')) == ['program.py'], os.listdir('.')
                assert os.environ.get('HOME') == os.getcwd()
                assert 'JAVA_HOME' not in os.environ and 'PATH' in os.environ
                open('scratch.txt', 'w').write('ok')
                """);
        assertThat(result.outcome()).as(result.output()).isEqualTo(SandboxOutcome.PASSED);
    }

    @Test
    void filesOnlyTheEvaluatorMayReadStayUnreadable() throws IOException {
        assumeTrue(sandbox.dropsPrivileges(), "programs run as the evaluator's own user here: its files are readable");
        Path secret = Files.createTempFile("sandbox-secret", ".txt");
        try {
            Files.writeString(secret, "s3cret");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            SandboxResult result = sandbox.run("print(open('%s').read())\n".formatted(secret));
            assertThat(result.outcome()).isEqualTo(SandboxOutcome.FAILED);
            assertThat(result.output()).contains("PermissionError").doesNotContain("s3cret");
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void networkIsUnreachable() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            SandboxResult result = sandbox.run("""
                    import socket
                    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    s.settimeout(1)
                    s.connect(('127.0.0.1', %d))
                    print('CONNECTED')
                    """.formatted(server.getLocalPort()));
            assertThat(result.outcome()).isEqualTo(SandboxOutcome.FAILED);
            assertThat(result.output()).doesNotContain("CONNECTED");
            boolean accepted;
            try (var ignored = server.accept()) {
                accepted = true;
            } catch (SocketTimeoutException e) {
                accepted = false;
            }
            assertThat(accepted).isFalse();
        }
    }

    private static long countSandboxChildren() {
        return ProcessHandle.current().descendants().count();
    }
}
