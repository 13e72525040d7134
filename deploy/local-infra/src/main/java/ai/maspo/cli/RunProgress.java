package ai.maspo.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a run stands, from what the API shows (the run and its search history) and, when the CLI submitted the spec
 * itself, the plan it gives (layers per agent, budget): the phase, layers done of those planned, the last agent and
 * layer, that agent's best cumulative score J, test jobs done, LLM calls and tokens paid against the budget, and an ETA
 * for the current phase from the pace so far (history's {@code recordedAt}).
 */
record RunProgress(String status, String phase, int layersDone, int plannedLayers, String agent, int layer, Double bestJ,
                   long testDone, long testTotal, long calls, long tokens, Plan plan, Optional<Duration> eta) {

    /** What the spec says about the run's length; unknown (null) when the CLI did not submit it. */
    record Plan(Integer layersPerAgent, Long maxLlmCalls, Long maxTokens, Long maxWallSeconds) {
        static final Plan UNKNOWN = new Plan(null, null, null, null);
        /** The paper's D, the orchestrator's default for search.layersPerAgent. */
        private static final int DEFAULT_LAYERS = 9;

        static Plan of(JsonNode spec) {
            JsonNode layers = spec.path("search").path("layersPerAgent");
            JsonNode budget = spec.path("budget");
            return new Plan(layers.isIntegralNumber() ? layers.asInt() : DEFAULT_LAYERS, longOrNull(budget.path("maxLlmCalls")),
                    longOrNull(budget.path("maxTokens")), longOrNull(budget.path("maxWallSeconds")));
        }

        private static Long longOrNull(JsonNode value) {
            return value.isIntegralNumber() ? value.asLong() : null;
        }
    }

    static RunProgress of(JsonNode run, JsonNode history, Plan plan, Instant now) {
        List<JsonNode> layers = new ArrayList<>();
        history.forEach(step -> {
            if ("layer".equals(step.path("type").asText())) {
                layers.add(step);
            }
        });
        // bestPrompts holds every optimizable agent from the start: D layers each (refreshes come on top).
        int planned = plan.layersPerAgent() == null ? -1 : plan.layersPerAgent() * run.path("bestPrompts").size();
        // the last layer says where the search is: a refresh re-scores a beam but is no layer of the plan
        JsonNode lastLayer = layers.isEmpty() ? null : layers.getLast();
        String agent = lastLayer == null ? null : lastLayer.path("agent").asText();
        int layer = lastLayer == null ? 0 : lastLayer.path("layer").asInt();
        Double bestJ = null;
        if (lastLayer != null) {
            for (JsonNode node : lastLayer.path("beamAfter")) {
                bestJ = bestJ == null ? node.path("score").asDouble() : Math.max(bestJ, node.path("score").asDouble());
            }
        }
        long testDone = 0;
        long testTotal = 0;
        for (String kind : List.of("test-seed", "test-best")) {
            testDone += run.path("progress").path(kind).path("done").asLong() + run.path("progress").path(kind).path("failed").asLong();
            testTotal += run.path("progress").path(kind).path("total").asLong();
        }
        long calls = 0;
        long tokens = 0;
        for (JsonNode cost : run.path("cost")) {
            calls += cost.path("calls").asLong();
            tokens += cost.path("promptTokens").asLong() + cost.path("completionTokens").asLong();
        }
        String phase = run.path("phase").asText();
        Optional<Duration> eta = Optional.empty();
        Optional<Instant> lastRecorded = history.isEmpty() ? Optional.empty() : instant(history.get(history.size() - 1).path("recordedAt"));
        if ("SEARCHING".equals(phase) && planned > 0 && !layers.isEmpty() && lastRecorded.isPresent()) {
            Optional<Instant> created = instant(run.path("createdAt"));
            if (created.isPresent()) {
                Duration perLayer = Duration.between(created.get(), lastRecorded.get()).dividedBy(layers.size());
                Duration remaining = perLayer.multipliedBy(Math.max(0, planned - layers.size()))
                        .minus(Duration.between(lastRecorded.get(), now));
                eta = Optional.of(remaining.isNegative() ? Duration.ZERO : remaining);
            }
        } else if ("TESTING".equals(phase) && testDone > 0 && lastRecorded.isPresent()) {
            // the test phase starts when the search's last step is stored
            Duration spent = Duration.between(lastRecorded.get(), now);
            eta = Optional.of(spent.multipliedBy(testTotal - testDone).dividedBy(testDone));
        }
        return new RunProgress(run.path("status").asText(), phase, layers.size(), planned, agent, layer, bestJ,
                testDone, testTotal, calls, tokens, plan, eta);
    }

    private static Optional<Instant> instant(JsonNode value) {
        try {
            return value.isTextual() ? Optional.of(Instant.parse(value.asText())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean testing() {
        return "TESTING".equals(phase);
    }

    /** Units done and planned in the current phase (layers while searching, test jobs while testing); -1: unknown. */
    long current() {
        return testing() ? testDone : layersDone;
    }

    long max() {
        // no test job sent yet: unknown, not zero (a bar of zero units has no percentage)
        return testing() ? (testTotal > 0 ? testTotal : -1) : plannedLayers;
    }

    /** Agent, layer, best J and budget: the bar's message. */
    String detail() {
        List<String> parts = new ArrayList<>();
        if (agent != null) {
            parts.add(agent + " L" + layer + (bestJ == null ? "" : String.format(Locale.ROOT, " best J %.2f", bestJ)));
        }
        parts.add("calls " + calls + (plan.maxLlmCalls() == null ? "" : "/" + plan.maxLlmCalls()));
        if (plan.maxTokens() != null) {
            parts.add("tokens " + tokens + "/" + plan.maxTokens());
        }
        return String.join(" | ", parts);
    }

    /** One line for a log or a pipe: phase, units, percentage, detail, ETA. */
    String line() {
        String units = testing() ? "test jobs" : "layers";
        String count = max() > 0
                ? String.format(Locale.ROOT, "%d/%d %s %3d%%", current(), max(), units, Math.min(100, 100 * current() / max()))
                : current() + " " + units;
        String label = testing() ? "test" : "SEARCHING".equals(phase) ? "search" : phase.isEmpty() ? status : phase.toLowerCase(Locale.ROOT);
        return String.format("%-6s %s | %s%s", label, count, detail(), eta.map(d -> " | ETA " + format(d)).orElse(""));
    }

    static String format(Duration d) {
        long seconds = d.toSeconds();
        return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }
}
