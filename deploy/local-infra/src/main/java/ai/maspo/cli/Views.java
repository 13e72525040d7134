package ai.maspo.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text renderings of the API's answers for people; every command's {@code --json} prints the answer itself. */
public final class Views {
    private static final int PROMPT_WIDTH = 100;

    private Views() {
    }

    public static String summary(JsonNode run) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("run       %s  \"%s\"%n", run.path("id").asText(), run.path("name").asText()));
        text.append(String.format("status    %s (%s), strategy %s%s%n", run.path("status").asText(), run.path("phase").asText(),
                run.path("strategy").asText(), optional(", finish reason: ", run.path("finishReason"))));
        text.append(String.format("created   %s%s%n", run.path("createdAt").asText(), optional(", finished ", run.path("finishedAt"))));
        if (!run.path("seedAccuracy").isNull() || !run.path("optimizedAccuracy").isNull()) {
            text.append(String.format("accuracy  seed %s -> optimized %s%s%n", decimal(run.path("seedAccuracy")),
                    decimal(run.path("optimizedAccuracy")), optional(" (", run.path("testFailures")) + (run.path("testFailures").isTextual() ? ")" : "")));
        }
        List<String> roles = new ArrayList<>();
        long calls = 0;
        long tokens = 0;
        for (JsonNode cost : run.path("cost")) {
            roles.add(String.format("%s %d (%d cached)", cost.path("role").asText(), cost.path("calls").asLong(), cost.path("cachedCalls").asLong()));
            calls += cost.path("calls").asLong();
            tokens += cost.path("promptTokens").asLong() + cost.path("completionTokens").asLong();
        }
        text.append(String.format("cost      %d paid LLM calls, %d tokens%s%s%n", calls, tokens,
                run.path("costUsd").isNumber() ? ", " + run.path("costUsd").decimalValue().toPlainString() + " USD" : "",
                roles.isEmpty() ? "" : ": " + String.join(", ", roles)));
        if (run.path("error").isTextual()) {
            text.append("error     ").append(run.path("error").asText()).append('\n');
        }
        text.append("best prompts:\n");
        run.path("bestPrompts").properties().forEach(e -> text.append("  ").append(e.getKey()).append(": ")
                .append(oneLine(e.getValue().asText())).append('\n'));
        return text.toString();
    }

    static String runTable(List<JsonNode> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"ID", "STATUS", "PHASE", "STRATEGY", "CREATED", "SEED", "OPTIMIZED", "NAME"});
        for (JsonNode run : runs) {
            rows.add(new String[]{run.path("id").asText(), run.path("status").asText(), run.path("phase").asText(),
                    run.path("strategy").asText(), run.path("createdAt").asText().replaceFirst("\\.\\d+Z$", "Z"),
                    decimal(run.path("seedAccuracy")), decimal(run.path("optimizedAccuracy")), run.path("name").asText()});
        }
        return table(rows);
    }

    /** One row per search step: what a layer or a refresh did, its best J, proposals kept and refused, misalignment, cost so far. */
    static String historyTable(JsonNode history) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"#", "TYPE", "AGENT", "LAYER", "STATUS", "BEST J", "ACCEPTED", "REJECTED", "MISALIGNED", "PAID CALLS", "RECORDED"});
        int index = 1;
        for (JsonNode step : history) {
            boolean layer = "layer".equals(step.path("type").asText());
            double best = Double.NEGATIVE_INFINITY;
            for (JsonNode node : step.path("beamAfter")) {
                best = Math.max(best, node.path("score").asDouble());
            }
            long accepted = 0;
            for (JsonNode candidate : step.path(layer ? "candidates" : "rescored")) {
                accepted += candidate.path("accepted").asBoolean() ? 1 : 0;
            }
            String misaligned = step.path("misaligned").isIntegralNumber()
                    ? step.path("misaligned").asInt() + "/" + step.path("drawn").asInt() : "-";
            rows.add(new String[]{Integer.toString(index++), step.path("type").asText(), step.path("agent").asText(),
                    (layer ? step.path("layer") : step.path("visit")).asText(), step.path("status").asText(),
                    best == Double.NEGATIVE_INFINITY ? "-" : String.format(Locale.ROOT, "%.3f", best),
                    layer ? Long.toString(accepted) : "-", layer ? Integer.toString(step.path("rejected").size()) : "-",
                    layer ? misaligned : step.path("topStable").asBoolean() ? "top stable" : "top changed",
                    step.path("paidCallsSoFar").asText("-"), step.path("recordedAt").asText("-")});
        }
        return table(rows);
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static String decimal(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "-";
    }

    private static String optional(String prefix, JsonNode value) {
        return value.isNull() || value.isMissingNode() || value.asText().isBlank() ? "" : prefix + value.asText();
    }

    private static String oneLine(String prompt) {
        String flat = prompt.replace("\n", "\\n");
        return flat.length() <= PROMPT_WIDTH ? flat : flat.substring(0, PROMPT_WIDTH - 3) + "...";
    }
}
