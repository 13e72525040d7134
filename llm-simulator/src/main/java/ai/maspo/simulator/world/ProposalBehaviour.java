package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.ProposalParams;
import ai.maspo.simulator.scenario.Skill;
import ai.maspo.simulator.scenario.Symptom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The optimizer LLM: reads the current prompt and the traces shown, and proposes one skill edit. */
final class ProposalBehaviour {

    /** One possible edit of the current prompt and its (unnormalized) weight. */
    record Edit(Skill skill, boolean add, double weight) {
    }

    /**
     * What the traces of a proposal request show: per symptom, the count over the traces divided by their number
     * (a symptom seen downstream counts three times), and how many traces showed what happened downstream.
     */
    record Symptoms(Map<Symptom, Double> fractions, int traces, int downstream) {
    }

    /** Sections of a trace that show what happened after the agent: its summary, a successor's or the final output. */
    private enum Downstream { SUMMARY, SUCCESSOR, FINAL }

    private static final Pattern CURRENT_PROMPT = Pattern.compile("(?s)<current_prompt>(.*?)</current_prompt>");
    private static final Pattern REFERENCE_PROMPT = Pattern.compile("(?s)Reference prompt[^\\n]*\\n.*?```[^\\n]*\\n(.*?)```");
    private static final Pattern OUTPUT_TAG = Pattern.compile("(?s)<output>(.*?)</output>");
    private static final Pattern OUTPUT_LINE = Pattern.compile("(?im)^[ \\t]*(?:agent[ \\t]+)?output[ \\t]*:");
    private static final Pattern CONTEXT_TAG = Pattern.compile("(?s)<context>(.*?)</context>");
    private static final Pattern CONTEXT_LINE = Pattern.compile("(?im)^[ \\t]*context[ \\t]*:");
    private static final Pattern DOWNSTREAM_TAG = Pattern.compile(
            "(?is)<((?:successor|final)[_ -]?outputs?|summary\\w*|passed[_ -]?on|read[_ -]by[_ -]successors?)\\b[^>]*>(.*?)</\\1>");
    /** A labelled downstream section runs to the next blank line. */
    private static final Pattern DOWNSTREAM_LINE = Pattern.compile("(?im)^[ \\t]*((?:the[ \\t]+)?(?:successor[^:\\n]{0,40}?output"
            + "|final[ \\t]+output|summary[ \\t]+(?:passed|given|read)[^:\\n]{0,40}?|what[ \\t]+the[ \\t]+successors?[ \\t]+read)"
            + "[^:\\n]{0,40}?):[ \\t]*(.*?)(?=\\R[ \\t]*\\R|\\z)", Pattern.DOTALL);
    private static final int DOWNSTREAM_WEIGHT = 3;

    private final World world;

    ProposalBehaviour(World world) {
        this.world = world;
    }

    String respond(String text, Draw draw) {
        Matcher current = currentPrompt(text);
        String prompt = current == null ? "" : current.group(1).strip();
        String traces = current == null ? text : text.substring(0, current.start()) + text.substring(current.end());
        Symptoms symptoms = symptoms(traces);
        List<Edit> edits = edits(prompt, symptoms);
        if (edits.isEmpty()) {
            return "<analyse>No change seems useful.</analyse><modification>none</modification><prompt>" + prompt + "</prompt>";
        }
        Edit edit = pick(edits, draw.uniform("proposal-edit"));
        String newPrompt = edit.add() ? withPhrase(prompt, edit.skill().phrases().get(0)) : withoutSkill(prompt, edit.skill());
        String analyse = "<analyse>" + describe(symptoms) + "</analyse>";
        String modification = "<modification>" + (edit.add() ? "Add: " : "Remove: ")
                + edit.skill().phrases().get(0) + "</modification>";
        ProposalParams params = world.scenario().proposal();
        if (draw.uniform("proposal-malformed") < params.malformedRate()) {
            return draw.uniform("proposal-malformed-kind") < 0.5
                    ? analyse + modification + "\nNew prompt:\n" + newPrompt
                    : analyse + modification + "<prompt>" + newPrompt.replace("{question}", "the question") + "</prompt>";
        }
        return analyse + modification + "<prompt>" + newPrompt + "</prompt>";
    }

    private static Matcher currentPrompt(String text) {
        Matcher tagged = CURRENT_PROMPT.matcher(text);
        if (tagged.find()) {
            return tagged;
        }
        Matcher fenced = REFERENCE_PROMPT.matcher(text);
        return fenced.find() ? fenced : null;
    }

    /**
     * Splits the traces section (from the first known item tag on) into one trace per tag and counts the
     * symptoms. A trace's output is inside {@code <output>} or after an {@code Output:} line (else the whole
     * trace); its context inside {@code <context>} or after a {@code Context:} line.
     */
    Symptoms symptoms(String traces) {
        Matcher tags = Texts.ITEM_TAG.matcher(traces);
        List<Integer> starts = new ArrayList<>();
        List<Item> items = new ArrayList<>();
        while (tags.find()) {
            Item item = world.items().get(tags.group(1));
            // A question repeated inside its own trace does not start a new trace.
            if (item != null && (items.isEmpty() || items.get(items.size() - 1) != item)) {
                starts.add(tags.start());
                items.add(item);
            }
        }
        Map<Symptom, Double> fractions = new EnumMap<>(Symptom.class);
        for (Symptom s : Symptom.values()) {
            fractions.put(s, 0.0);
        }
        if (items.isEmpty()) {
            return new Symptoms(fractions, 0, 0);
        }
        int budget = world.scenario().agent().contextBudget();
        int downstreamShown = 0;
        for (int i = 0; i < items.size(); i++) {
            String trace = traces.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : traces.length());
            Item item = items.get(i);
            Map<Downstream, String> downstream = new EnumMap<>(Downstream.class);
            trace = withoutDownstream(trace, downstream);
            String output = outputOf(trace);
            String context = contextOf(trace);
            String answer = Texts.lastAnswer(output, item);
            count(fractions, Symptom.NO_ANSWER, answer == null, 1);
            count(fractions, Symptom.WRONG_ANSWER, answer != null && !answer.equals(item.answer()), 1);
            count(fractions, Symptom.TOO_LONG, Texts.stepLines(output) > budget, 1);
            count(fractions, Symptom.CONTEXT_WITHOUT_ANSWER, context != null
                    && Contexts.split(context).stream().anyMatch(part -> Texts.lastAnswer(part, item) == null), 1);
            String summary = downstream.get(Downstream.SUMMARY);
            String finalOutput = downstream.get(Downstream.FINAL);
            if (downstream.containsKey(Downstream.SUCCESSOR) || finalOutput != null) {
                downstreamShown++;
                count(fractions, Symptom.LOST_DOWNSTREAM, item.answer().equals(answer) && finalOutput != null
                        && !item.answer().equals(Texts.lastAnswer(finalOutput, item)), DOWNSTREAM_WEIGHT);
                count(fractions, Symptom.CONTEXT_WITHOUT_ANSWER, answer != null && summary != null
                        && Texts.lastAnswer(summary, item) == null, DOWNSTREAM_WEIGHT);
                count(fractions, Symptom.TOO_LONG, Texts.stepLines(summary != null ? summary : output) > budget,
                        DOWNSTREAM_WEIGHT);
            }
        }
        int n = items.size();
        fractions.replaceAll((s, count) -> count / n);
        return new Symptoms(fractions, n, downstreamShown);
    }

    /**
     * The trace without its downstream sections, which are put in {@code downstream} (several successors' outputs
     * are joined).
     */
    private static String withoutDownstream(String trace, Map<Downstream, String> downstream) {
        StringBuilder rest = new StringBuilder();
        for (Pattern section : List.of(DOWNSTREAM_TAG, DOWNSTREAM_LINE)) {
            Matcher m = section.matcher(trace);
            rest.setLength(0);
            int last = 0;
            while (m.find()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                Downstream kind = name.contains("summary") || name.contains("passed") || name.contains("read")
                        ? Downstream.SUMMARY : name.contains("final") ? Downstream.FINAL : Downstream.SUCCESSOR;
                downstream.merge(kind, m.group(2), (a, b) -> a + "\n\n" + b);
                rest.append(trace, last, m.start());
                last = m.end();
            }
            trace = rest.append(trace.substring(last)).toString();
        }
        return trace;
    }

    /** Every possible edit with its weight: add an absent skill, or remove a present one. */
    List<Edit> edits(String prompt, Symptoms symptoms) {
        ProposalParams params = world.scenario().proposal();
        String lower = prompt.toLowerCase(Locale.ROOT);
        List<Edit> edits = new ArrayList<>();
        for (Skill skill : world.scenario().skills()) {
            boolean present = skill.presentIn(lower);
            double weight = present ? params.removeWeight() : skill.obviousness();
            for (Symptom symptom : present ? skill.removedFor() : skill.proposedFor()) {
                weight *= 1 + params.symptomGain() * symptoms.fractions().get(symptom);
            }
            if (weight > 0) {
                edits.add(new Edit(skill, !present, weight));
            }
        }
        return edits;
    }

    private static Edit pick(List<Edit> edits, double u) {
        double total = edits.stream().mapToDouble(Edit::weight).sum();
        double threshold = u * total;
        for (Edit edit : edits) {
            threshold -= edit.weight();
            if (threshold < 0) {
                return edit;
            }
        }
        return edits.get(edits.size() - 1);
    }

    private static String outputOf(String trace) {
        Matcher tag = OUTPUT_TAG.matcher(trace);
        if (tag.find()) {
            return tag.group(1);
        }
        Matcher line = OUTPUT_LINE.matcher(trace);
        return line.find() ? trace.substring(line.end()) : trace;
    }

    private static String contextOf(String trace) {
        Matcher tag = CONTEXT_TAG.matcher(trace);
        if (tag.find()) {
            return tag.group(1);
        }
        Matcher line = CONTEXT_LINE.matcher(trace);
        if (!line.find()) {
            return null;
        }
        Matcher output = OUTPUT_LINE.matcher(trace);
        return output.find(line.end()) ? trace.substring(line.end(), output.start()) : trace.substring(line.end());
    }

    private static void count(Map<Symptom, Double> counts, Symptom symptom, boolean seen, int times) {
        if (seen) {
            counts.merge(symptom, (double) times, Double::sum);
        }
    }

    static String withPhrase(String prompt, String phrase) {
        String sentence = phrase.matches(".*[.!?]$") ? phrase : phrase + ".";
        return prompt.isEmpty() ? sentence : prompt + "\n" + sentence;
    }

    /** The prompt without any of the skill's phrases (and the full stop that ends a phrase's sentence). */
    static String withoutSkill(String prompt, Skill skill) {
        String result = prompt;
        for (String phrase : skill.phrases()) {
            result = Pattern.compile("[ \\t]*\\n?[ \\t]*" + Pattern.quote(phrase) + "\\.?", Pattern.CASE_INSENSITIVE)
                    .matcher(result).replaceAll("");
        }
        return result.strip();
    }

    private static String describe(Symptoms symptoms) {
        if (symptoms.traces() == 0) {
            return "No traces were shown; proposing a general improvement.";
        }
        StringBuilder text = new StringBuilder("Over " + symptoms.traces() + " traces:");
        symptoms.fractions().forEach((s, f) -> text.append(' ').append(s.name().toLowerCase(Locale.ROOT))
                .append('=').append(Math.round(f * 100)).append('%'));
        return text.append(symptoms.downstream() > 0
                ? " (" + symptoms.downstream() + " of them show what happened downstream)." : ".").toString();
    }
}
