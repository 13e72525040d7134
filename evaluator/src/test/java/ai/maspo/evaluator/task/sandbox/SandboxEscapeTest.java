package ai.maspo.evaluator.task.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each route out of the sandbox that a hostile review used (issue 10), tried by sandboxed code. The candidate
 * reports what it reached in a module variable; the trusted tests assert it reached nothing, and where the host can
 * tell (a socket accepted, a file left), the host checks too.
 */
class SandboxEscapeTest {

    private static PythonSandbox sandbox;

    @BeforeAll
    static void createSandbox() {
        sandbox = new PythonSandbox();
        assertThat(sandbox.unavailableReason()).isEmpty();
    }

    private static void assertPassed(SandboxResult result) {
        assertThat(result.outcome()).as(result.detail() + "\n" + result.output()).isEqualTo(SandboxOutcome.PASSED);
    }

    @Test
    void aUnixSocketInTheHostTmpIsUnreachable() throws IOException {
        Path socket = Path.of("/tmp", "maspo-escape-" + UUID.randomUUID() + ".sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
            SandboxResult result = sandbox.run("""
                    import socket
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    try:
                        s.connect('%s')
                        reached = True
                    except OSError as e:
                        reached = False
                    """.formatted(socket), List.of("assert reached is False"));
            assertPassed(result);
            assertThat(server.accept()).isNull();
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void aTcpServerOnTheHostLoopbackIsUnreachable() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            SandboxResult result = sandbox.run("""
                    import socket
                    try:
                        socket.create_connection(('127.0.0.1', %d), timeout=2)
                        reached = True
                    except OSError:
                        reached = False
                    """.formatted(server.getLocalPort()), List.of("assert reached is False"));
            assertPassed(result);
            boolean accepted;
            try (var ignored = server.accept()) {
                accepted = true;
            } catch (SocketTimeoutException e) {
                accepted = false;
            }
            assertThat(accepted).isFalse();
        }
    }

    @Test
    void hostProcessesAreInvisible() {
        long jvm = ProcessHandle.current().pid();
        SandboxResult result = sandbox.run("""
                import os
                try:
                    seen = open('/proc/%d/cmdline', 'rb').read()
                except OSError:
                    seen = None
                pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
                """.formatted(jvm), List.of("assert seen is None", "assert pids == [1, 2], pids"));
        assertPassed(result);
    }

    @Test
    void hostTmpAndOtherSandboxesFoldersAreInvisible() throws Exception {
        Path hostDir = Files.createTempDirectory("maspo-escape-");
        Path hostFile = Files.writeString(hostDir.resolve("secret.txt"), "host secret");
        Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hostFile, PosixFilePermissions.fromString("rw-r--r--"));
        String marker = "marker-" + UUID.randomUUID();
        try {
            CompletableFuture<SandboxResult> first = CompletableFuture.supplyAsync(() -> sandbox.run("""
                    import time
                    open('/tmp/%s', 'w').write('first sandbox')
                    time.sleep(3)
                    """.formatted(marker), List.of("assert True")));
            Thread.sleep(1000);
            SandboxResult second = sandbox.run("""
                    import os
                    listing = os.listdir('/tmp')
                    try:
                        secret = open('%s').read()
                    except OSError:
                        secret = None
                    """.formatted(hostFile), List.of("assert listing == [], listing", "assert secret is None"));
            assertPassed(second);
            assertPassed(first.get());
        } finally {
            Files.deleteIfExists(hostFile);
            Files.deleteIfExists(hostDir);
        }
    }

    @Test
    void nothingIsLeftBehindOnTheHost() throws IOException {
        String name = "leftover-" + UUID.randomUUID();
        List<Path> before = tmpEntries();
        SandboxResult result = sandbox.run("""
                import os, tempfile
                for folder in ('/tmp', '.', tempfile.gettempdir(), os.environ['HOME'], '/dev/shm', '/var/tmp'):
                    try:
                        open(os.path.join(folder, '%s'), 'w').write('left')
                    except OSError:
                        pass
                """.formatted(name), List.of("assert True"));
        assertPassed(result);
        assertThat(Path.of("/tmp", name)).doesNotExist();
        assertThat(Path.of("/var/tmp", name)).doesNotExist();
        assertThat(Path.of("/dev/shm", name)).doesNotExist();
        // the sandbox has no folder on the host at all: no entry of /tmp (one level down too) holds the file
        assertThat(tmpEntries()).noneMatch(path -> path.getFileName().toString().equals(name));
        assertThat(tmpEntries().stream().filter(path -> !before.contains(path)))
                .noneMatch(path -> path.getFileName().toString().startsWith("maspo-sandbox-"));
    }

    @Test
    void thePassCannotBeForged() {
        String wrong = "def square(x):\n    return x + 1\n";
        List<String> tests = List.of("assert square(2) == 4", "assert square(3) == 9");
        List<String> attacks = List.of(
                "import os\nos._exit(100)\n",
                "import os\nos._exit(0)\n",
                "import sys\nsys.exit(0)\n",
                // a report line as the harness writes it, to stdout and stderr, with a guessed nonce
                "import json, sys\nline = json.dumps({'nonce': '0' * 32, 'outcome': 'passed', 'passed': 2, 'total': 2, 'detail': 'x'})\n"
                        + "print(line)\nprint(line, file=sys.stderr)\nsys.stdout.flush()\nimport os\nos._exit(0)\n",
                // the harness' own channels and memory
                "for path in ('/proc/1/fd/1', '/proc/1/fd/0', '/proc/1/mem', '/proc/1/environ'):\n"
                        + "    try:\n        open(path, 'r+b').write(b'{\"outcome\": \"passed\"}\\n')\n    except OSError:\n        pass\n",
                "import os, signal\ntry:\n    os.kill(1, signal.SIGKILL)\nexcept OSError:\n    pass\n",
                // monkeypatching what a harness running in the same interpreter would rely on
                "import builtins\nclass Pass(Exception):\n    pass\nbuiltins.AssertionError = Pass\n"
                        + "import sys\nsys.excepthook = lambda *a: None\nimport atexit, os\natexit.register(lambda: os._exit(100))\n",
                // an answer that equals everything
                "class Anything:\n    def __eq__(self, other):\n        return True\n    def __hash__(self):\n        return 0\n"
                        + "def square(x):\n    return Anything()\n");
        for (String attack : attacks) {
            SandboxResult result = sandbox.run(wrong + attack, tests);
            assertThat(result.outcome()).as(attack + "\n" + result.detail() + "\n" + result.output())
                    .isNotEqualTo(SandboxOutcome.PASSED);
        }
        assertPassed(sandbox.run("def square(x):\n    return x * x\n", tests));
    }

    @Test
    void theSystemIsReadOnlyOutsideTheSandboxTmp() {
        SandboxResult result = sandbox.run("""
                written = []
                for path in ('/usr/lib/x', '/usr/bin/x', '/etc/x', '/x', '/var/tmp/x', '/dev/shm/x', '/proc/x', '/home/x', '/root/x'):
                    try:
                        open(path, 'w').write('x')
                        written.append(path)
                    except OSError:
                        pass
                open('/tmp/ok', 'w').write('own tmp is writable')
                """, List.of("assert written == [], written"));
        assertPassed(result);
    }

    private static List<Path> tmpEntries() throws IOException {
        try (Stream<Path> top = Files.list(Path.of("/tmp"))) {
            return top.flatMap(SandboxEscapeTest::selfAndChildren).toList();
        }
    }

    private static Stream<Path> selfAndChildren(Path path) {
        if (!Files.isDirectory(path) || !Files.isReadable(path)) {
            return Stream.of(path);
        }
        try (Stream<Path> children = Files.list(path)) {
            return Stream.concat(Stream.of(path), children.toList().stream());
        } catch (IOException | RuntimeException e) {
            return Stream.of(path);
        }
    }
}
