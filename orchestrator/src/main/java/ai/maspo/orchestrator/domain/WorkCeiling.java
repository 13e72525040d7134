package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.config.OrchestratorConfig;
import ai.maspo.orchestrator.search.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Refuses at submit time a run whose {@link WorkEstimate} is above the server's ceiling, unless the spec carries an
 * explicit {@code budget.maxLlmCalls}, which then stops the search. The test evaluation is not stopped by a budget,
 * so its own estimate must always fit under the ceiling. Applied only to new runs: a stored run is never refused
 * later because the ceiling was lowered.
 */
@ApplicationScoped
public class WorkCeiling {

    private final long maxEstimatedCalls;

    @Inject
    WorkCeiling(OrchestratorConfig config) {
        this(config.maxEstimatedCalls());
    }

    WorkCeiling(long maxEstimatedCalls) {
        this.maxEstimatedCalls = maxEstimatedCalls;
    }

    /** @throws InvalidRunSpecException naming the field to change, with the estimate */
    public void check(ValidRun run) {
        WorkEstimate estimate = WorkEstimate.of(run);
        if (estimate.test() > maxEstimatedCalls) {
            throw refused("data.test", "the test evaluation alone is estimated at " + estimate.test()
                    + " LLM calls, above this server's ceiling of " + maxEstimatedCalls + " (a budget does not stop it): "
                    + "use fewer test questions");
        }
        boolean budgeted = run.spec().budget() != null && run.spec().budget().maxLlmCalls() != null;
        if (!budgeted && estimate.total() > maxEstimatedCalls) {
            throw refused("budget.maxLlmCalls", "the run is estimated at " + estimate.total() + " LLM calls (search "
                    + estimate.search() + ", test " + estimate.test() + "), above this server's ceiling of "
                    + maxEstimatedCalls + ": set budget.maxLlmCalls to run a search stopped by that budget, "
                    + "or make the search smaller (layers, beam width, candidates, mini-batch)");
        }
    }

    private static InvalidRunSpecException refused(String field, String message) {
        return new InvalidRunSpecException(List.of(new FieldError(field, message)));
    }
}
