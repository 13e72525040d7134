package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.search.EffectiveSettings;
import ai.maspo.orchestrator.search.SearchSettings;
import ai.maspo.orchestrator.search.Strategy;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.ModelRoles;
import ai.maspo.protocol.Question;

import java.util.List;
import java.util.Map;

/** A run spec that passed validation, with defaults applied and the graph resolved for execution. */
public record ValidRun(RunSpec spec, MasDefinition mas, ModelRoles models, Map<String, String> seedPrompts,
                       List<Question> pool, List<Question> test, Strategy strategy, SearchSettings settings,
                       EffectiveSettings effective) {

    public long seed() {
        return settings.seed();
    }
}
