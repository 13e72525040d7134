package ai.maspo.orchestrator.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A deterministic stand-in for samplers, evaluators and LLMs. A prompt is a template plus skills written "[name]";
 * each skill changes the agent's own output quality ("local") and the quality of everything downstream ("down") by
 * its mean ± 1, the offset drawn per question from a hash — so a skill can win locally and lose downstream on some
 * questions. The judge prefers the higher quality; equal quality gives the position-biased tie; a few answers are
 * unparseable. The optimizer toggles one skill chosen from the command seed; some replies are malformed.
 */
final class FakeWorld {

    record Skill(String name, double local, double down) {
    }

    private static final Pattern SKILL = Pattern.compile("\\[(\\w+)]");

    private final Map<String, List<Skill>> skillsByAgent;
    private final List<String> pool = IntStream.range(0, 40).mapToObj(i -> String.format("q%02d", i)).toList();
    private final Map<String, List<String>> memory = new HashMap<>();
    /** Replaces the judge for some commands (tests of refresh decisions); null = the world's judge. */
    private final Function<SearchCommand.ScoreCandidate, List<Judgement>> judgeOverride;
    final List<SearchCommand.RecordMisalignment> recorded = new ArrayList<>();

    FakeWorld(Map<String, List<Skill>> skillsByAgent,
              Function<SearchCommand.ScoreCandidate, List<Judgement>> judgeOverride) {
        this.skillsByAgent = skillsByAgent;
        this.judgeOverride = judgeOverride;
    }

    /** One-way commands take effect at once, in emission order: the sampler's channel is ordered per run. */
    void accept(SearchCommand.RecordMisalignment command) {
        recorded.add(command);
        List<String> cases = memory.computeIfAbsent(command.agent(), a -> new ArrayList<>());
        command.cases().forEach(c -> {
            cases.remove(c.questionId());
            cases.add(0, c.questionId());
        });
    }

    SearchEvent answer(SearchCommand command) {
        return switch (command) {
            case SearchCommand.RequestMinibatch m -> minibatch(m);
            case SearchCommand.RunBaseline b -> new SearchEvent.BaselineDone(b.id());
            case SearchCommand.Propose p -> new SearchEvent.ProposalReceived(p.id(), propose(p));
            case SearchCommand.ScoreCandidate s -> new SearchEvent.CandidateJudged(s.id(),
                    judgeOverride != null && judgeOverride.apply(s) != null ? judgeOverride.apply(s) : judge(s));
            default -> throw new IllegalArgumentException("one-way command " + command);
        };
    }

    private SearchEvent minibatch(SearchCommand.RequestMinibatch m) {
        Set<String> fromMemory = new LinkedHashSet<>();
        for (String agent : m.memoryAgents()) {
            fromMemory.addAll(memory.getOrDefault(agent, List.of()));
        }
        List<String> injected = fromMemory.stream().limit(m.maxInjected()).toList();
        List<String> rest = pool.stream().filter(q -> !injected.contains(q)).toList();
        List<String> questions = new ArrayList<>(injected);
        questions.addAll(Seeds.sample(rest, m.size() - injected.size(), m.seed()));
        return new SearchEvent.MinibatchDrawn(m.id(), questions, injected);
    }

    private String propose(SearchCommand.Propose p) {
        List<Skill> skills = skillsByAgent.get(p.agent());
        long seed = p.seed();
        if (Math.floorMod(seed >>> 20, 17) == 0) {
            return null; // no <prompt> block
        }
        Skill skill = skills.get(Math.floorMod(seed, skills.size()));
        Set<String> present = skills(p.nodePrompt());
        if (!present.remove(skill.name())) {
            present.add(skill.name());
        }
        String template = p.nodePrompt().replaceAll(" \\[\\w+]", "");
        StringBuilder prompt = new StringBuilder(template);
        present.forEach(name -> prompt.append(" [").append(name).append(']'));
        return Math.floorMod(seed >>> 40, 11) == 0 ? prompt.toString().replace("{question}", "the question")
                : prompt.toString();
    }

    static Set<String> skills(String prompt) {
        Set<String> names = new TreeSet<>();
        Matcher m = SKILL.matcher(prompt);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private List<Judgement> judge(SearchCommand.ScoreCandidate s) {
        List<Judgement> judgements = new ArrayList<>();
        for (String q : s.questionIds()) {
            for (String judged : s.judgedAgents()) {
                boolean local = judged.equals(s.agent());
                double diff = quality(s.agent(), s.candidatePrompt(), q, local) - quality(s.agent(), s.parentPrompt(), q, local);
                Preference first = diff > 0 ? Preference.CANDIDATE : diff < 0 ? Preference.PARENT : Preference.CANDIDATE;
                Preference second = diff > 0 ? Preference.CANDIDATE : diff < 0 ? Preference.PARENT : Preference.PARENT;
                if (hash(q, s.candidatePrompt(), judged) % 23 == 0) {
                    second = Preference.NONE;
                }
                judgements.add(new Judgement(q, judged, first, second));
            }
        }
        return judgements;
    }

    double quality(String agent, String prompt, String question, boolean local) {
        double total = 0;
        for (Skill skill : skillsByAgent.get(agent)) {
            if (skills(prompt).contains(skill.name())) {
                double mean = local ? skill.local() : skill.down();
                total += mean + (hash(question, skill.name(), local ? "local" : "down") % 3) - 1;
            }
        }
        return total;
    }

    /** Downstream quality of a set of prompts averaged over the pool: the "true" merit of an outcome. */
    double systemQuality(Map<String, String> prompts) {
        double total = 0;
        for (Map.Entry<String, String> e : prompts.entrySet()) {
            for (String q : pool) {
                total += quality(e.getKey(), e.getValue(), q, false);
            }
        }
        return total / pool.size();
    }

    private static long hash(String... parts) {
        return Math.floorMod(Seeds.derive(12345, parts), 1_000_003L);
    }
}
