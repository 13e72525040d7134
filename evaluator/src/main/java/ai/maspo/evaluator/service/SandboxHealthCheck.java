package ai.maspo.evaluator.service;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * DOWN, with the reason, when code checks cannot run in the bubblewrap sandbox (they are refused, never run bare).
 * A health group of its own ({@code /q/health/group/code-sandbox}), not readiness: an evaluator without the sandbox
 * still serves every other task type, so it must not be taken out of service for it.
 */
@HealthGroup("code-sandbox")
@ApplicationScoped
public class SandboxHealthCheck implements HealthCheck {

    private final CorrectnessService correctness;

    SandboxHealthCheck(CorrectnessService correctness) {
        this.correctness = correctness;
    }

    @Override
    public HealthCheckResponse call() {
        var sandbox = correctness.sandbox();
        return HealthCheckResponse.named("python-sandbox").status(sandbox.unavailableReason().isEmpty())
                .withData("isolation", sandbox.isolation()).build();
    }
}
