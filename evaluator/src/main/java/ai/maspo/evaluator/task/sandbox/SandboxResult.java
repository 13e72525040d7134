package ai.maspo.evaluator.task.sandbox;

import java.time.Duration;

/**
 * @param output   merged stdout/stderr, at most {@link SandboxLimits#maxOutputBytes()} bytes
 * @param exitCode the process exit code (128 + signal when killed), -1 when it never started
 * @param detail   why the outcome is what it is, for traces and logs
 */
public record SandboxResult(SandboxOutcome outcome, int exitCode, String output, Duration elapsed, String detail) {

    public boolean passed() {
        return outcome == SandboxOutcome.PASSED;
    }
}
