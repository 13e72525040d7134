package ai.maspo.evaluator.task.sandbox;

/** How a sandboxed program ended. */
public enum SandboxOutcome {
    /** ran to the end and every test held */
    PASSED,
    /** ran, but a test failed or the code raised an exception (wrong code, not a sandbox problem) */
    FAILED,
    /** exceeded the wall-clock or CPU-time limit and was killed */
    TIMED_OUT,
    /** ended abnormally: killed by a signal, out of memory, output limit exceeded, or could not start */
    CRASHED
}
