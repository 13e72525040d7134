package ai.maspo.evaluator.task.sandbox;

import java.time.Duration;

/**
 * @param wallClock      killed after this long (the CPU-time limit is the same, rounded up)
 * @param memoryBytes    address-space limit (RLIMIT_AS)
 * @param maxProcesses   process/thread limit (RLIMIT_NPROC, counted in the sandbox's own user namespace), against fork bombs
 * @param maxFileBytes   largest file the program may write (RLIMIT_FSIZE), and the size of its whole /tmp
 * @param maxOutputBytes stdout+stderr beyond this kills the program
 */
public record SandboxLimits(Duration wallClock, long memoryBytes, int maxProcesses, long maxFileBytes, int maxOutputBytes) {

    public static SandboxLimits defaults() {
        return new SandboxLimits(Duration.ofSeconds(10), 512L << 20, 32, 16L << 20, 256 << 10);
    }

    public SandboxLimits withWallClock(Duration timeout) {
        return new SandboxLimits(timeout, memoryBytes, maxProcesses, maxFileBytes, maxOutputBytes);
    }
}
