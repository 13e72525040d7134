package ai.maspo.evaluator.task.sandbox;

/** Code checks are refused: bubblewrap or the interpreter cannot be used, and code never runs unsandboxed. */
public class SandboxUnavailableException extends IllegalStateException {

    public SandboxUnavailableException(String reason) {
        super("python sandbox unavailable: " + reason);
    }
}
