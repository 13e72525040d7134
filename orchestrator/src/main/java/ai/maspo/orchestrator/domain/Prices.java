package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.config.PriceTable;
import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.protocol.ModelRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The price of each model role of a run: the role's own {@code price} in the spec, else the agent role's when the role
 * uses the agent's model, else this server's {@link PriceTable} by model name; none when neither knows the model.
 */
@ApplicationScoped
public class Prices {

    private final Map<String, TokenPrice> table;

    @Inject
    Prices(PriceTable config) {
        this(config.models().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new TokenPrice(
                e.getValue().inputPerMillion(), e.getValue().cachedInputPerMillion().orElse(e.getValue().inputPerMillion()),
                e.getValue().outputPerMillion()))));
    }

    Prices(Map<String, TokenPrice> table) {
        this.table = Map.copyOf(table);
    }

    public Optional<TokenPrice> of(ValidRun run, ModelRole role) {
        RunSpec.Models models = run.spec().models();
        String model = run.models().of(role).model();
        RunSpec.ModelSpec own = spec(models, role);
        if (own != null && own.price() != null) {
            return Optional.of(TokenPrice.of(own.price()));
        }
        RunSpec.ModelSpec agent = spec(models, ModelRole.AGENT);
        if (agent != null && agent.price() != null && model.equals(run.models().agent().model())) {
            return Optional.of(TokenPrice.of(agent.price()));
        }
        return Optional.ofNullable(table.get(model));
    }

    /** A money budget needs a price for every role, or the run could never see it reached. */
    public void checkBudget(ValidRun run) {
        if (run.spec().budget() == null || run.spec().budget().maxCostUsd() == null) {
            return;
        }
        for (ModelRole role : ModelRole.values()) {
            if (of(run, role).isEmpty()) {
                String name = role.name().toLowerCase();
                throw new InvalidRunSpecException(List.of(new FieldError("budget.maxCostUsd", "no price is known for "
                        + "model '" + run.models().of(role).model() + "' (role " + name + "): give models." + name
                        + ".price or ask the operator to list the model in maspo.prices")));
            }
        }
    }

    private static RunSpec.ModelSpec spec(RunSpec.Models models, ModelRole role) {
        if (models == null) {
            return null;
        }
        return switch (role) {
            case AGENT -> models.agent();
            case OPTIMIZER -> models.optimizer();
            case JUDGE -> models.judge();
        };
    }
}
