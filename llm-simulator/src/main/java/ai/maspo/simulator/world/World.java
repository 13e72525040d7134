package ai.maspo.simulator.world;

import ai.maspo.simulator.scenario.Item;
import ai.maspo.simulator.scenario.ItemGenerator;
import ai.maspo.simulator.scenario.Scenario;
import ai.maspo.simulator.scenario.Skill;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** One scenario brought to life: its items and the answer to any chat request. Thread-safe. */
public final class World {

    private final Scenario scenario;
    private final List<Item> train;
    private final List<Item> test;
    private final Map<String, Item> items;
    private final AtomicLong nonces = new AtomicLong();
    private final AgentBehaviour agent = new AgentBehaviour(this);
    private final CompressionBehaviour compression = new CompressionBehaviour(this);
    private final PairwiseJudgeBehaviour pairwiseJudge = new PairwiseJudgeBehaviour(this);
    private final CorrectnessJudgeBehaviour correctnessJudge = new CorrectnessJudgeBehaviour(this);
    private final ProposalBehaviour proposal = new ProposalBehaviour(this);

    public World(Scenario scenario) {
        this.scenario = scenario;
        List<Item> all = ItemGenerator.generate(scenario.items());
        this.train = all.subList(0, scenario.items().train());
        this.test = all.subList(scenario.items().train(), all.size());
        Map<String, Item> byId = new LinkedHashMap<>();
        all.forEach(item -> byId.put(item.id(), item));
        this.items = Map.copyOf(byId);
    }

    /**
     * Answers a chat request.
     *
     * @param text        the contents of all messages, joined
     * @param seed        the request's {@code seed}, or null
     * @param temperature the request's temperature (absent = 0): without a seed, a temperature above 0 mixes a
     *                    per-process counter into the randomness so that repeated requests differ
     */
    public Reply respond(String text, Long seed, double temperature) {
        long nonce = seed == null && temperature > 0 ? nonces.incrementAndGet() : 0;
        Draw draw = Draw.of(scenario.seed(), seed, text, nonce);
        RequestClass requestClass = RequestClassifier.classify(text);
        String content = switch (requestClass) {
            case PAIRWISE_JUDGE -> pairwiseJudge.respond(text, draw);
            case CORRECTNESS_JUDGE -> correctnessJudge.respond(text, draw);
            case PROPOSAL -> proposal.respond(text, draw);
            case COMPRESSION -> compression.respond(text, RequestClassifier.summaryWordLimit(text).getAsInt(), draw);
            case AGENT -> agent.respond(text, draw);
        };
        return new Reply(requestClass, content);
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The items of a split ("train" or "test"), or null for an unknown split. */
    public List<Item> split(String name) {
        return switch (name) {
            case "train" -> train;
            case "test" -> test;
            default -> null;
        };
    }

    Map<String, Item> items() {
        return items;
    }

    ProposalBehaviour proposal() {
        return proposal;
    }

    List<Skill> skillsIn(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return scenario.skills().stream().filter(s -> s.presentIn(lower)).toList();
    }
}
