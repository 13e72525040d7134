package ai.maspo.evaluator.task.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the sandbox runs and how it classifies it; the isolation itself is {@link SandboxEscapeTest}. */
class PythonSandboxTest {

    /**
     * Programs that never end get a short limit; programs expected to finish get the default one, since starting
     * bubblewrap and two interpreters can take seconds on a loaded machine. The time bounds leave room for a slow
     * kill but not for a missed one (a kill that fails waits for the process another 5 s and the readers 3 s).
     */
    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final List<String> NO_TESTS_REACHED = List.of("assert False, 'the tests must not be reached'");
    private static PythonSandbox sandbox;
    private static SandboxLimits shortLimits;

    @BeforeAll
    static void createSandbox() {
        sandbox = new PythonSandbox();
        assertThat(sandbox.unavailableReason()).isEmpty();
        shortLimits = sandbox.limits().withWallClock(SHORT);
    }

    @Test
    void passingAndFailingTestsAreToldApart() {
        String function = "def add(a, b):\n    return a + b\n";
        SandboxResult passed = sandbox.run(function, List.of("assert add(2, 3) == 5", "assert add('a', 'b') == 'ab'"));
        assertThat(passed.outcome()).as(passed.detail() + passed.output()).isEqualTo(SandboxOutcome.PASSED);

        SandboxResult failed = sandbox.run(function, List.of("assert add(2, 3) == 5", "assert add(2, 3) == 6"));
        assertThat(failed.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(failed.detail()).startsWith("test 2: a test assertion failed");
        assertThat(failed.output()).contains("AssertionError");
    }

    @Test
    void valuesOfEveryPlainTypeAndCandidateObjectsReachTheTests() {
        SandboxResult result = sandbox.run("""
                import collections, decimal, fractions
                def values():
                    return [None, True, -2**100, 0.1, float('inf'), 1+2j, 'é\\ud800', b'\\x00', (1,), {2}, frozenset([3]),
                            {'k': [1]}, collections.Counter('aab'), decimal.Decimal('1.5'), fractions.Fraction(1, 3)]
                def evens(n):
                    return (i for i in range(n) if i % 2 == 0)
                class Node:
                    def __init__(self, value):
                        self.value = value
                        self.next = None
                def total(node):
                    return 0 if node is None else node.value + total(node.next)
                def picky(x):
                    if x < 0:
                        raise ValueError('negative')
                    return x
                """, List.of(
                "import collections, decimal, fractions, math",
                "assert values() == [None, True, -2**100, 0.1, math.inf, 1+2j, 'é\\ud800', b'\\x00', (1,), {2}, frozenset([3]),"
                        + " {'k': [1]}, {'a': 2, 'b': 1}, decimal.Decimal('1.5'), fractions.Fraction(1, 3)]",
                "assert list(evens(7)) == [0, 2, 4, 6]",
                "head = Node(1)\nhead.next = Node(2)\nassert total(head) == 3 and head.next.value == 2",
                "try:\n    picky(-1)\n    assert False\nexcept ValueError as e:\n    assert str(e) == 'negative'"));
        assertThat(result.outcome()).as(result.detail() + result.output()).isEqualTo(SandboxOutcome.PASSED);
    }

    @Test
    void syntaxErrorsAndExceptionsAreFailuresOfTheCandidate() {
        SandboxResult syntax = sandbox.run("def broken(:\n    pass\n", NO_TESTS_REACHED);
        assertThat(syntax.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(syntax.detail()).contains("SyntaxError");

        SandboxResult raised = sandbox.run("def f(x):\n    return undefined_function(x)\n", List.of("assert f(1) == 1"));
        assertThat(raised.outcome()).isEqualTo(SandboxOutcome.FAILED);
        assertThat(raised.detail()).contains("NameError");
    }

    @Test
    void infiniteLoopIsKilledAtTheWallClockLimit() {
        SandboxResult result = sandbox.run("import time\nwhile True:\n    time.sleep(0.01)\n", NO_TESTS_REACHED, shortLimits);
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.TIMED_OUT);
        assertThat(result.elapsed()).isLessThan(SHORT.plusSeconds(6));
    }

    @Test
    void busyLoopIsStoppedByTimeOrCpuLimit() {
        SandboxResult result = sandbox.run("def spin():\n    while True:\n        pass\n", List.of("spin()"), shortLimits);
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
                """, NO_TESTS_REACHED, shortLimits);
        assertThat(result.outcome()).isIn(SandboxOutcome.TIMED_OUT, SandboxOutcome.CRASHED);
        assertThat(result.elapsed()).isLessThan(SHORT.plusSeconds(7));
        assertThat(countSandboxChildren()).isLessThanOrEqualTo(before);
        // the evaluator can still start processes afterwards
        assertThat(sandbox.run("x = 2", List.of("assert x == 2")).passed()).isTrue();
    }

    @Test
    void hugeOutputIsCappedAndKilled() {
        SandboxResult result = sandbox.run("while True:\n    print('x' * 10000)\n", NO_TESTS_REACHED);
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.CRASHED);
        assertThat(result.detail()).contains("output exceeded");
        assertThat(result.output().length()).isLessThanOrEqualTo(sandbox.limits().maxOutputBytes());
    }

    @Test
    void memoryHogHitsTheAddressSpaceLimit() {
        SandboxResult result = sandbox.run("data = bytearray(2 * 1024 * 1024 * 1024)\n", NO_TESTS_REACHED);
        assertThat(result.outcome()).isEqualTo(SandboxOutcome.CRASHED);
        assertThat(result.detail()).contains("memory");
    }

    @Test
    void largeFilesAreRefused() {
        SandboxResult result = sandbox.run("""
                with open('big.bin', 'wb') as f:
                    f.write(b'0' * (64 * 1024 * 1024))
                """, List.of("assert True"));
        assertThat(result.outcome()).isNotEqualTo(SandboxOutcome.PASSED);
    }

    @Test
    void runsInAnEmptyPrivateTmpWithAnEmptyEnvironment() {
        SandboxResult result = sandbox.run("""
                import os
                listing = os.listdir('.')
                cwd = os.getcwd()
                env = dict(os.environ)
                open('scratch.txt', 'w').write('ok')
                """, List.of("assert listing == [] and cwd == '/tmp', (listing, cwd)",
                "assert env.get('HOME') == '/tmp' and 'JAVA_HOME' not in env and 'PATH' in env, env"));
        assertThat(result.outcome()).as(result.detail() + result.output()).isEqualTo(SandboxOutcome.PASSED);
    }

    @Test
    void withoutBubblewrapCodeChecksAreRefusedNotRunBare() {
        PythonSandbox missing = new PythonSandbox("/nonexistent/bwrap", PythonSandbox.DEFAULT_PYTHON, SandboxLimits.defaults());
        assertThat(missing.unavailableReason()).get().asString().contains("bubblewrap not found at /nonexistent/bwrap");
        assertThat(missing.isolation()).startsWith("unavailable");
        assertThatThrownBy(() -> missing.run("x = 1", List.of("assert x == 1")))
                .isInstanceOf(SandboxUnavailableException.class).hasMessageContaining("bubblewrap not found");

        PythonSandbox outsideUsr = new PythonSandbox(PythonSandbox.DEFAULT_BWRAP, "/root/.pyenv/shims/python3", SandboxLimits.defaults());
        assertThat(outsideUsr.unavailableReason()).get().asString().contains("not under /usr");
        assertThat(Files.isExecutable(Path.of(PythonSandbox.DEFAULT_BWRAP))).isTrue();
    }

    private static long countSandboxChildren() {
        return ProcessHandle.current().descendants().count();
    }
}
