package ai.maspo.orchestrator.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run specs as a client would write them (plain JSON maps), valid unless a test breaks them. */
public final class RunSpecs {

    public static Map<String, Object> reflect(int poolSize, int testSize, int minibatch) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "reflect-test");
        spec.put("mas", new LinkedHashMap<>(Map.of(
                "agents", new ArrayList<>(List.of(
                        new LinkedHashMap<>(Map.of("id", "predictor", "role", "Predictor",
                                "prompt", "Solve step by step.\n{question}")),
                        new LinkedHashMap<>(Map.of("id", "reflector", "role", "Reflector",
                                "prompt", "Check the solution.\n{question}\n{context}")))),
                "edges", new ArrayList<>(List.of(Map.of("from", "predictor", "to", "reflector"))))));
        spec.put("task", new LinkedHashMap<>(Map.of("type", "math")));
        spec.put("data", new LinkedHashMap<>(Map.of("pool", questions("p", poolSize, false),
                "test", questions("t", testSize, true))));
        spec.put("models", new LinkedHashMap<>(Map.of("agent", Map.of("model", "sequential-trap"))));
        spec.put("search", new LinkedHashMap<>(Map.of("strategy", "maspo", "minibatchSize", minibatch, "seed", 5)));
        return spec;
    }

    static List<Map<String, Object>> questions(String prefix, int n, boolean labelled) {
        List<Map<String, Object>> questions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> q = new LinkedHashMap<>(Map.of("id", prefix + i, "text", "#" + prefix + i + " What is " + i + " + 1?"));
            if (labelled) {
                q.put("reference", String.valueOf(i + 1));
            }
            questions.add(q);
        }
        return questions;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> at(Map<String, Object> spec, String... path) {
        Object node = spec;
        for (String p : path) {
            node = p.matches("\\d+") ? ((List<Object>) node).get(Integer.parseInt(p)) : ((Map<String, Object>) node).get(p);
        }
        return (Map<String, Object>) node;
    }

    private RunSpecs() {
    }
}
