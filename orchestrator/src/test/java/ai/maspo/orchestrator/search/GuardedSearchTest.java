package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;

import ai.maspo.orchestrator.search.FakeWorld.Skill;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The guards of {@code maspo-guarded}, each switched on alone against the paper's rule on the same world: a 2-agent
 * chain whose solver has a mild trap ("wordy": always better locally, worse downstream on two questions of three),
 * which R > 0 lets in at 4:4:2 (R ≈ 0.4 + 0.6 · 1/3 − 0.5 = +0.1), and honest skills.
 */
class GuardedSearchTest {

    private static final List<Skill> SOLVER = List.of(new Skill("careful", 1, 0.5), new Skill("wordy", 3, -0.3),
            new Skill("noise", -1, -1));
    private static final List<Skill> CRITIC = List.of(new Skill("focus", 1, 1), new Skill("sloppy", -1, -1),
            new Skill("terse", 0.5, 0.5));
    private static final SearchSettings PAPER = SearchSettings.defaults(2026);
    private static final Map<String, String> SEEDS = Map.of("solver", "Solve {question}.", "critic",
            "Read {context}, then answer {question}.");

    private static SearchProblem chain(Strategy strategy, Guards guards) {
        return new SearchProblem(List.of(
                new AgentNode("solver", true, SEEDS.get("solver"), List.of(), List.of("critic")),
                new AgentNode("critic", true, SEEDS.get("critic"), List.of("solver"), List.of())),
                "critic", strategy.apply(PAPER.withGuards(guards)));
    }

    private static FakeWorld world() {
        return new FakeWorld(Map.of("solver", SOLVER, "critic", CRITIC), null);
    }

    private static Driver.Result run(Guards guards) throws Exception {
        return new Driver(world()).run(chain(Strategy.MASPO_GUARDED, guards));
    }

    private static List<ScoredCandidate> candidates(Driver.Result result, String agent) {
        return result.layers().stream().filter(l -> l.agent().equals(agent)).flatMap(l -> l.candidates().stream())
                .toList();
    }

    /** For the solver, whose successor is the terminal critic: the system's output lost more often than it won. */
    private static boolean harms(ScoredCandidate c) {
        return c.rates().global() < 0.5;
    }

    @Test
    void thePaperRuleLetsTheMildTrapInAndTheGuardedDefaultsKeepItOut() throws Exception {
        Driver.Result paper = new Driver(world()).run(chain(Strategy.MASPO, null));
        assertThat(candidates(paper, "solver")).as("the trap's premise: R > 0 although the system lost")
                .anyMatch(c -> c.accepted() && harms(c) && FakeWorld.skills(c.prompt()).contains("wordy"));

        FakeWorld world = world();
        Driver.Result guarded = new Driver(world).run(chain(Strategy.MASPO_GUARDED, null));
        assertThat(guarded.state().finishReason()).isEqualTo(SearchEngine.COMPLETED);
        assertThat(candidates(guarded, "solver")).noneMatch(c -> c.accepted() && harms(c));
        Map<String, String> best = SearchEngine.bestPrompts(guarded.state());
        assertThat(FakeWorld.skills(best.get("solver"))).doesNotContain("wordy");
        assertThat(world.systemQuality(best)).isGreaterThan(world.systemQuality(SEEDS))
                .isGreaterThanOrEqualTo(world.systemQuality(SearchEngine.bestPrompts(paper.state())));
    }

    @Test
    void doNoHarmAloneRefusesEveryCandidateWhoseDownstreamRateIsBelowOneHalf() throws Exception {
        Driver.Result result = run(new Guards(false, 0, true, false, 0));
        List<ScoredCandidate> all = candidates(result, "solver");
        assertThat(all).filteredOn(c -> !c.failed() && c.jointScore() > 0 && harms(c))
                .as("candidates the paper's rule would have taken").isNotEmpty()
                .allSatisfy(c -> assertThat(c.accepted()).isFalse());
        assertThat(all).filteredOn(c -> !c.failed() && c.jointScore() > 0 && !harms(c))
                .isNotEmpty().allSatisfy(c -> assertThat(c.accepted()).isTrue());
        assertThat(result.sent(SearchCommand.ScoreCandidate.class))
                .allSatisfy(c -> assertThat(c.questionIds()).hasSize(PAPER.minibatchSize()));
    }

    @Test
    void boundAcceptanceAloneTakesOnlyCandidatesWhoseLowerBoundIsAboveZero() throws Exception {
        Driver.Result result = run(new Guards(true, 1.645, false, false, 0));
        List<ScoredCandidate> all = result.layers().stream().flatMap(l -> l.candidates().stream())
                .filter(c -> !c.failed()).toList();
        assertThat(all).allSatisfy(c -> {
            assertThat(c.accepted()).isEqualTo(c.lowerBound() > 0);
            assertThat(c.lowerBound()).isLessThanOrEqualTo(c.jointScore());
        });
        assertThat(all).as("positive R, yet not enough evidence").anyMatch(c -> c.jointScore() > 0 && !c.accepted());
        assertThat(all).anyMatch(ScoredCandidate::accepted);
    }

    @Test
    void anAdaptiveMinibatchScoresHalfAMinibatchFirstAndExtendsOnlyOpenDecisions() throws Exception {
        Guards guards = new Guards(true, 1.645, true, true, 20);
        Driver.Result result = run(guards);
        int b = PAPER.minibatchSize();
        List<SearchCommand.RequestMinibatch> layerDraws = result.sent(SearchCommand.RequestMinibatch.class).stream()
                .filter(m -> !m.refresh()).toList();
        assertThat(layerDraws).allSatisfy(m -> assertThat(m.size()).isEqualTo(20));
        assertThat(result.sent(SearchCommand.RunBaseline.class)).allSatisfy(r -> assertThat(r.questionIds()).hasSize(b));

        Map<String, List<SearchCommand.ScoreCandidate>> rounds = new HashMap<>();
        for (SearchCommand.ScoreCandidate s : result.sent(SearchCommand.ScoreCandidate.class)) {
            if (!s.id().contains("/R")) { // refreshes score on a plain mini-batch
                rounds.computeIfAbsent(s.id().replaceAll("/x\\d+$", ""), k -> new java.util.ArrayList<>()).add(s);
            }
        }
        int early = 0;
        int extended = 0;
        Map<String, HistoryEntry.LayerRecord> layerOf = new HashMap<>();
        result.layers().forEach(l -> l.candidates().forEach(c -> layerOf.put(c.id(), l)));
        for (List<SearchCommand.ScoreCandidate> r : rounds.values()) {
            assertThat(r.getFirst().questionIds()).hasSize((b + 1) / 2);
            Set<String> seen = new HashSet<>();
            r.forEach(s -> assertThat(seen.addAll(s.questionIds())).as("no question scored twice").isTrue());
            HistoryEntry.LayerRecord layer = layerOf.get(r.getFirst().candidateId());
            assertThat(layer.questionIds()).containsAll(seen);
            ScoredCandidate scored = layer.candidates().stream().filter(c -> c.id().equals(r.getFirst().candidateId()))
                    .findFirst().orElseThrow();
            assertThat(scored.questions()).isEqualTo(seen.size());
            if (r.size() >= 2) {
                Set<String> firstTwo = new HashSet<>(r.get(0).questionIds());
                firstTwo.addAll(r.get(1).questionIds());
                assertThat(firstTwo).as("two rounds cover exactly the layer's mini-batch")
                        .isEqualTo(new HashSet<>(layer.questionIds().subList(0, b)));
            }
            if (r.size() == 1) {
                early++;
            } else {
                extended++;
            }
            // A candidate stopped before the cap only because its decision was no longer open.
            if (seen.size() < 20 && !scored.failed() && scored.id().startsWith("solver/")) {
                boolean open = !scored.accepted() && scored.lowerBound() <= 0 && !harms(scored)
                        && scored.jointScore() + (scored.jointScore() - scored.lowerBound()) >= 0;
                assertThat(open).as("stopped while open: %s", scored).isFalse();
            }
        }
        assertThat(early).as("clear decisions stop after half a mini-batch").isPositive();
        assertThat(extended).as("open decisions get more questions").isPositive();
    }

    @Test
    void theGuardedSearchIsDeterministicAndResumesWhateverTheOrderOfResults() throws Exception {
        SearchProblem problem = chain(Strategy.MASPO_GUARDED, null);
        Driver.Result straight = new Driver(world()).run(problem);
        Driver.Result shuffled = new Driver(world()).shuffled(5).replayingOldResults().restartingAfter(40).run(problem);
        assertThat(shuffled.history()).isEqualTo(straight.history());
        assertThat(shuffled.state().agents()).isEqualTo(straight.state().agents());
    }

    @Test
    void settingsAreValidatedPerField() {
        SearchSettings bad = PAPER.withGuards(new Guards(true, 9, true, true, 8));
        assertThat(bad.validate(50)).extracting(FieldError::field)
                .containsExactlyInAnyOrder("guards.confidence", "guards.maxMinibatchSize");
        assertThat(PAPER.withGuards(new Guards(true, 1, true, true, 60)).validate(50)).extracting(FieldError::field)
                .containsExactly("guards.maxMinibatchSize");
        assertThat(PAPER.withGuards(Guards.defaults(10, 50)).validate(50)).isEmpty();
        assertThat(Guards.defaults(10, 15).maxMinibatchSize()).isEqualTo(15);
        assertThat(Strategy.MASPO.apply(PAPER.withGuards(Guards.defaults(10, 50))).guards()).isEqualTo(Guards.OFF);
    }
}
