package ai.maspo.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The three model roles of a run: backbone agents, optimizer (proposals) and pairwise judge. */
public record ModelRoles(@NotNull @Valid ModelSettings agent, @NotNull @Valid ModelSettings optimizer,
                         @NotNull @Valid ModelSettings judge) {

    public ModelSettings of(ModelRole role) {
        return switch (role) {
            case AGENT -> agent;
            case OPTIMIZER -> optimizer;
            case JUDGE -> judge;
        };
    }
}
