package ai.maspo.evaluator;

import ai.maspo.simulator.LlmSimulator;
import ai.maspo.simulator.SimulatorOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * An llm-simulator per test application, as the evaluator's OpenAI-compatible endpoint for all three roles.
 * Init arg {@code rate500} makes that fraction of calls fail with HTTP 500.
 */
public class SimulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private LlmSimulator simulator;
    private double rate500;

    @Override
    public void init(Map<String, String> initArgs) {
        rate500 = Double.parseDouble(initArgs.getOrDefault("rate500", "0"));
    }

    @Override
    public Map<String, String> start() {
        SimulatorOptions d = SimulatorOptions.defaults();
        simulator = LlmSimulator.start(new SimulatorOptions(0, null, 0, 0, 0, rate500, 0, 0, d.hangMillis(), null));
        return Map.of("maspo.llm.base-url", simulator.baseUrl(), "maspo.llm.api-key", "test-key");
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
