package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Scenario;
import ai.maspo.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loaded scenarios, by model name. {@code sim-default} (and any unknown model name, so that a client
 * configured with an arbitrary model still works) is the {@code sequential-trap} world.
 */
public final class Worlds {

    public static final String DEFAULT_MODEL = "sim-default";
    private static final String DEFAULT_SCENARIO = "sequential-trap";

    private final Map<String, World> byName;

    private Worlds(Map<String, World> byName) {
        this.byName = byName;
    }

    /** The shipped scenarios, then those of the folder (a file may replace a shipped scenario of the same name). */
    public static Worlds load(Path scenarioDir) {
        Map<String, World> worlds = new LinkedHashMap<>();
        List<Scenario> scenarios = ScenarioLoader.shipped();
        scenarios.forEach(s -> worlds.put(s.name(), new World(s)));
        if (scenarioDir != null) {
            ScenarioLoader.fromDirectory(scenarioDir).forEach(s -> worlds.put(s.name(), new World(s)));
        }
        worlds.put(DEFAULT_MODEL, worlds.get(DEFAULT_SCENARIO));
        return new Worlds(Map.copyOf(worlds));
    }

    /** The world of a model name; unknown names get the default world. */
    public World forModel(String model) {
        World world = model == null ? null : byName.get(model);
        return world != null ? world : byName.get(DEFAULT_MODEL);
    }

    /** The world of a scenario name, or null. */
    public World named(String name) {
        return byName.get(name);
    }

    /** The model names: one per scenario plus {@code sim-default}. */
    public Set<String> modelNames() {
        return byName.keySet();
    }
}
