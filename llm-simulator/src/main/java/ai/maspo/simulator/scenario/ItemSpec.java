package ai.maspo.simulator.scenario;

import static ai.maspo.simulator.scenario.Checks.require;

/** How a scenario's questions are generated: kind, split sizes, difficulty range and seed. */
public record ItemSpec(ItemKind kind, int train, int test, int minDifficulty, int maxDifficulty, long seed) {

    public ItemSpec {
        require(kind != null, "items.kind is required");
        require(train >= 0 && test >= 0 && train + test > 0, "items.train and items.test must be >= 0, not both 0");
        require(train + test <= 10_000, "at most 10000 items (ids are #q0000..#q9999)");
        require(minDifficulty >= 1 && maxDifficulty >= minDifficulty, "need 1 <= items.minDifficulty <= items.maxDifficulty");
    }
}
