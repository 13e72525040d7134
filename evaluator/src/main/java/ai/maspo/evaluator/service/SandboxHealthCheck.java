package ai.maspo.evaluator.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN, with the reason, when code checks cannot run in the bubblewrap sandbox (they are refused, never run bare). */
@Readiness
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
