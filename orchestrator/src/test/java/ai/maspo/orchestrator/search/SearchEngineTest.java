package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.maspo.orchestrator.search.FakeWorld.Skill;
import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SearchEngineTest {

    private static final List<Skill> SOLVER = List.of(new Skill("careful", 1, 0.5), new Skill("verbose", 1.5, -1.5),
            new Skill("noise", -1, -1));
    private static final List<Skill> CRITIC = List.of(new Skill("focus", 1, 1), new Skill("sloppy", -1, -1),
            new Skill("terse", 0.5, 0.5));
    private static final SearchSettings PAPER = SearchSettings.defaults(2026);

    // ---- problems and worlds

    private static SearchProblem chain(Strategy strategy) {
        return new SearchProblem(List.of(
                new AgentNode("solver", true, "Solve {question}.", List.of(), List.of("critic")),
                new AgentNode("critic", true, "Read {context}, then answer {question}.", List.of("solver"), List.of())),
                "critic", strategy.apply(PAPER));
    }

    private static FakeWorld chainWorld() {
        return chainWorld(null);
    }

    private static FakeWorld chainWorld(Function<SearchCommand.ScoreCandidate, List<Judgement>> judgeOverride) {
        return new FakeWorld(Map.of("solver", SOLVER, "critic", CRITIC), judgeOverride);
    }

    private static final List<String> EXPERTS = List.of("math", "science", "code");

    private static SearchProblem hierarchical(Strategy strategy) {
        List<AgentNode> agents = new ArrayList<>();
        for (String expert : EXPERTS) {
            agents.add(new AgentNode(expert, true, "As the " + expert + " expert, solve {question}.", List.of(),
                    List.of("summarizer")));
        }
        agents.add(new AgentNode("summarizer", true, "Given {context}, answer {question}.", EXPERTS, List.of()));
        return new SearchProblem(agents, "summarizer", strategy.apply(PAPER));
    }

    private static FakeWorld hierarchicalWorld() {
        Map<String, List<Skill>> skills = new HashMap<>();
        EXPERTS.forEach(e -> skills.put(e, SOLVER));
        skills.put("summarizer", CRITIC);
        return new FakeWorld(skills, null);
    }

    // ---- the search

    @Test
    void maspoImprovesTheSystemAndAvoidsTheLocalTrapThatLocalOnlyTakes() throws Exception {
        FakeWorld world = chainWorld();
        Driver.Result maspo = new Driver(world).run(chain(Strategy.MASPO));
        Driver.Result localOnly = new Driver(chainWorld()).run(chain(Strategy.MASPO_LOCAL_ONLY));

        Map<String, String> best = SearchEngine.bestPrompts(maspo.state());
        Map<String, String> seeds = Map.of("solver", "Solve {question}.", "critic", "Read {context}, then answer {question}.");
        assertThat(world.systemQuality(best)).isGreaterThan(world.systemQuality(seeds));
        assertThat(FakeWorld.skills(best.get("solver"))).doesNotContain("verbose");
        assertThat(acceptedWith(maspo, "solver", "verbose")).isFalse();
        // The trap wins locally, so the local-only strategy takes it at least once.
        assertThat(acceptedWith(localOnly, "solver", "verbose")).isTrue();
        assertThat(world.systemQuality(best))
                .isGreaterThan(world.systemQuality(SearchEngine.bestPrompts(localOnly.state())));
        assertThat(maspo.state().finishReason()).isEqualTo(SearchEngine.COMPLETED);
        assertThat(maspo.sent(SearchCommand.Finish.class)).singleElement()
                .satisfies(f -> assertThat(f.bestPrompts()).isEqualTo(best));
    }

    private static boolean acceptedWith(Driver.Result result, String agent, String skill) {
        return result.layers().stream().filter(l -> l.agent().equals(agent)).flatMap(l -> l.candidates().stream())
                .anyMatch(c -> c.accepted() && FakeWorld.skills(c.prompt()).contains(skill));
    }

    @Test
    void onlyCandidatesWithPositiveJointScoreEnterTheBeam() throws Exception {
        Driver.Result result = new Driver(chainWorld()).run(chain(Strategy.MASPO));
        int accepted = 0;
        int refused = 0;
        Map<String, Double> bestScore = new HashMap<>(Map.of("solver", 0.0, "critic", 0.0));
        for (HistoryEntry entry : result.history()) {
            if (entry instanceof HistoryEntry.RefreshRecord refresh) {
                bestScore.put(refresh.agent(), refresh.beamAfter().stream()
                        .filter(n -> n.id().equals(refresh.bestNodeId())).findFirst().orElseThrow().score());
                continue;
            }
            HistoryEntry.LayerRecord layer = (HistoryEntry.LayerRecord) entry;
            Map<String, BeamNode> before = layer.beamBefore().stream()
                    .collect(Collectors.toMap(BeamNode::id, n -> n));
            Map<String, ScoredCandidate> candidates = layer.candidates().stream()
                    .collect(Collectors.toMap(ScoredCandidate::id, c -> c));
            for (ScoredCandidate c : layer.candidates()) {
                assertThat(c.accepted()).isEqualTo(c.jointScore() > 0 && !c.failed());
                if (c.accepted()) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            for (BeamNode node : layer.beamAfter()) {
                if (!before.containsKey(node.id())) {
                    ScoredCandidate c = candidates.get(node.id());
                    assertThat(c.accepted()).isTrue();
                    assertThat(node.score()).isCloseTo(before.get(c.parentId()).score() + c.jointScore(), within(1e-12));
                }
            }
            assertThat(layer.beamAfter()).hasSizeLessThanOrEqualTo(PAPER.beamWidth()).isSortedAccordingTo(Beam.BEST_FIRST);
            assertThat(layer.beamAfter().stream().map(BeamNode::prompt).distinct()).hasSameSizeAs(layer.beamAfter());
            double top = layer.beamAfter().get(0).score();
            assertThat(layer.bestChanged()).isEqualTo(top > bestScore.get(layer.agent()));
            if (layer.bestChanged()) {
                bestScore.put(layer.agent(), top);
                assertThat(layer.bestNodeId()).isEqualTo(layer.beamAfter().get(0).id());
            }
        }
        assertThat(accepted).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void aCandidateThatNeverWinsLeavesTheSeedInPlace() throws Exception {
        FakeWorld world = new FakeWorld(Map.of("solver", List.of(new Skill("noise", -3, -3)),
                "critic", List.of(new Skill("sloppy", -3, -3))), null);
        Driver.Result result = new Driver(world).run(chain(Strategy.MASPO));
        assertThat(SearchEngine.bestPrompts(result.state()))
                .isEqualTo(Map.of("solver", "Solve {question}.", "critic", "Read {context}, then answer {question}."));
        assertThat(result.layers()).allSatisfy(l -> {
            assertThat(l.candidates()).noneMatch(ScoredCandidate::accepted);
            assertThat(l.bestChanged()).isFalse();
        });
        assertThat(result.layers().stream().mapToInt(l -> l.candidates().size()).sum()).isPositive();
    }

    @Test
    void commandCountsFollowTheSettings() throws Exception {
        Driver.Result result = new Driver(hierarchicalWorld()).run(hierarchical(Strategy.MASPO));
        EffectiveSettings s = Strategy.MASPO.apply(PAPER);
        assertThat(result.layers()).hasSize(4 * s.layersPerAgent());
        Map<String, Long> proposalsPerLayer = result.sent(SearchCommand.Propose.class).stream()
                .collect(Collectors.groupingBy(p -> p.agent() + "/L" + p.layer(), Collectors.counting()));
        Map<String, Long> scoresPerStep = result.sent(SearchCommand.ScoreCandidate.class).stream()
                .collect(Collectors.groupingBy(c -> String.join("/", List.of(c.id().split("/")).subList(0, 3)),
                        Collectors.counting()));
        for (HistoryEntry.LayerRecord layer : result.layers()) {
            String key = layer.agent() + "/L" + layer.layer();
            assertThat(proposalsPerLayer.get(key)).isEqualTo((long) layer.beamBefore().size() * s.candidatesPerNode());
            int rejected = layer.rejectionCounts().values().stream().mapToInt(Integer::intValue).sum();
            assertThat(layer.candidates()).hasSize((int) (proposalsPerLayer.get(key) - rejected));
            assertThat(scoresPerStep.getOrDefault("score/" + key, 0L)).isEqualTo(layer.candidates().size());
            assertThat(layer.questionIds()).hasSize(s.minibatchSize());
        }
        List<HistoryEntry.RefreshRecord> refreshes = result.refreshes().stream()
                .filter(r -> r.status().equals(SearchEngine.COMPLETED)).toList();
        assertThat(refreshes).isNotEmpty();
        for (HistoryEntry.RefreshRecord refresh : refreshes) {
            assertThat(refresh.rescored()).hasSize(refresh.beamBefore().size() - 1);
            assertThat(scoresPerStep.get("score/" + refresh.agent() + "/R" + refresh.visit()))
                    .isEqualTo(refresh.rescored().size());
        }
        int layers = result.layers().size();
        int completedRefreshes = refreshes.size();
        assertThat(result.sent(SearchCommand.RequestMinibatch.class)).hasSize(layers + completedRefreshes);
        assertThat(result.sent(SearchCommand.RunBaseline.class)).hasSize(layers);
        assertThat(result.history()).hasSize(layers + result.refreshes().size());
        // The rejections the fake optimizer provokes are counted by reason.
        assertThat(result.layers().stream().flatMap(l -> l.rejectionCounts().keySet().stream()).collect(Collectors.toSet()))
                .contains(RejectionReason.MISSING_QUESTION, RejectionReason.DUPLICATE);
    }

    @Test
    void expertsAreJudgedLocallyAndAtTheSummarizerWhichIsBothSuccessorAndTerminal() {
        SearchProblem problem = hierarchical(Strategy.MASPO);
        assertThat(SearchEngine.judgedAgents(problem, "math")).containsExactly("math", "summarizer");
        assertThat(SearchEngine.judgedAgents(problem, "summarizer")).containsExactly("summarizer");
        assertThat(SearchEngine.judgedAgents(hierarchical(Strategy.MASPO_LOCAL_ONLY), "code")).containsExactly("code");
    }

    @Test
    void misalignmentCasesFlowIntoTheSuccessorsMinibatchesAndProposals() throws Exception {
        FakeWorld world = hierarchicalWorld();
        Driver.Result result = new Driver(world).run(hierarchical(Strategy.MASPO));
        assertThat(world.recorded).isNotEmpty().allSatisfy(r -> {
            assertThat(r.agent()).isIn(EXPERTS);
            assertThat(r.cases()).hasSizeBetween(1, PAPER.misalignmentCasesKept())
                    .allSatisfy(c -> assertThat(c.kind()).isIn(CaseKind.BOTH_LOST, CaseKind.LOOKAHEAD_LOST, CaseKind.GLOBAL_LOST));
        });
        for (HistoryEntry.LayerRecord layer : result.layers()) {
            assertThat(result.sent(SearchCommand.RecordMisalignment.class).stream()
                    .filter(r -> r.id().equals("memory/" + layer.agent() + "/L" + layer.layer()))
                    .flatMap(r -> r.cases().stream()).toList()).isEqualTo(layer.recordedCases());
        }
        List<SearchCommand.RequestMinibatch> summarizerRequests = result.sent(SearchCommand.RequestMinibatch.class)
                .stream().filter(m -> m.agent().equals("summarizer")).toList();
        assertThat(summarizerRequests).allSatisfy(m -> {
            assertThat(m.memoryAgents()).containsExactlyElementsOf(EXPERTS);
            assertThat(m.maxInjected()).isEqualTo(5);
        });
        List<HistoryEntry.LayerRecord> injectedLayers = result.layers().stream()
                .filter(l -> l.agent().equals("summarizer") && !l.injectedIds().isEmpty()).toList();
        assertThat(injectedLayers).isNotEmpty();
        Set<String> everRecorded = new HashSet<>();
        world.recorded.forEach(r -> r.cases().forEach(c -> everRecorded.add(c.questionId())));
        for (HistoryEntry.LayerRecord layer : injectedLayers) {
            assertThat(everRecorded).containsAll(layer.injectedIds());
            assertThat(result.sent(SearchCommand.Propose.class).stream()
                    .filter(p -> p.agent().equals("summarizer") && p.layer() == layer.layer()))
                    .allSatisfy(p -> {
                        assertThat(p.flaggedQuestionIds()).isEqualTo(layer.injectedIds());
                        assertThat(p.traceQuestionIds()).doesNotContainAnyElementsOf(layer.injectedIds())
                                .hasSize((layer.questionIds().size() - layer.injectedIds().size() + 1) / 2);
                    });
        }
        // The rate is measured over randomly drawn questions, for every expert layer with candidates.
        assertThat(result.layers().stream().filter(l -> EXPERTS.contains(l.agent()) && !l.candidates().isEmpty()))
                .allSatisfy(l -> assertThat(l.drawn()).isEqualTo(l.candidates().size() * (10 - l.injectedIds().size())));
        assertThat(result.layers().stream().filter(l -> l.agent().equals("summarizer")))
                .allSatisfy(l -> assertThat(l.misalignmentRate()).isNull());
    }

    @Test
    void withoutMemorySamplingNothingIsStoredOrInjected() throws Exception {
        FakeWorld world = hierarchicalWorld();
        Driver.Result result = new Driver(world).run(hierarchical(Strategy.MASPO_NO_MISALIGNMENT_SAMPLING));
        assertThat(world.recorded).isEmpty();
        assertThat(result.sent(SearchCommand.RequestMinibatch.class)).allSatisfy(m -> assertThat(m.maxInjected()).isZero());
        assertThat(result.layers()).allSatisfy(l -> assertThat(l.injectedIds()).isEmpty());
    }

    @Test
    void successCaseSamplingStoresWinsAndShowsThemUnflagged() throws Exception {
        FakeWorld world = hierarchicalWorld();
        Driver.Result result = new Driver(world).run(hierarchical(Strategy.MASPO_SUCCESS_CASE_SAMPLING));
        assertThat(world.recorded).isNotEmpty().allSatisfy(r -> assertThat(r.cases())
                .allSatisfy(c -> assertThat(c.kind()).isIn(CaseKind.BOTH_WON, CaseKind.LOOKAHEAD_WON, CaseKind.GLOBAL_WON)));
        assertThat(result.sent(SearchCommand.Propose.class)).allSatisfy(p -> assertThat(p.flaggedQuestionIds()).isEmpty());
    }

    @Test
    void failedJobsDegradeTheirStepNotTheRun() throws Exception {
        Set<String> failed = Set.of("minibatch/critic/L2", "baseline/solver/L3", "propose/solver/L1/n0/c0");
        Driver.Result result = new Driver(chainWorld())
                .failing(c -> failed.contains(c.id()) || c.id().matches("score/critic/L[13]/.*"))
                .run(chain(Strategy.MASPO));
        assertThat(result.state().finishReason()).isEqualTo(SearchEngine.COMPLETED);
        assertThat(result.layers()).hasSize(18);
        for (String step : List.of("critic/2", "solver/3")) {
            HistoryEntry.LayerRecord layer = layer(result, step);
            assertThat(layer.status()).startsWith(SearchEngine.FAILED);
            assertThat(layer.beamAfter()).isEqualTo(layer.beamBefore());
            assertThat(layer.bestChanged()).isFalse();
        }
        assertThat(layer(result, "solver/1").rejected()).filteredOn(r -> r.commandId().equals("propose/solver/L1/n0/c0"))
                .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.OPTIMIZER_FAILED));
        assertThat(List.of(layer(result, "critic/1"), layer(result, "critic/3")))
                .flatExtracting(HistoryEntry.LayerRecord::candidates).isNotEmpty().allSatisfy(c -> {
            assertThat(c.failed()).isTrue();
            assertThat(c.accepted()).isFalse();
            assertThat(c.jointScore()).isZero();
        });
    }

    private static HistoryEntry.LayerRecord layer(Driver.Result result, String agentSlashLayer) {
        return result.layers().stream().filter(l -> (l.agent() + "/" + l.layer()).equals(agentSlashLayer))
                .findFirst().orElseThrow();
    }

    @Test
    void nonLlmAggregatorsAreNeverOptimizedAndPassMemoryThrough() throws Exception {
        SearchProblem problem = new SearchProblem(List.of(
                new AgentNode("p1", true, "Solve {question}.", List.of(), List.of("vote")),
                new AgentNode("p2", true, "Answer {question}.", List.of(), List.of("vote")),
                new AgentNode("vote", false, null, List.of("p1", "p2"), List.of("judge")),
                new AgentNode("judge", true, "Given {context}, answer {question}.", List.of("vote"), List.of())),
                "judge", Strategy.MASPO.apply(PAPER));
        assertThat(SearchEngine.memoryAgents(problem, "judge")).containsExactly("p1", "p2");
        assertThat(SearchEngine.judgedAgents(problem, "p1")).containsExactly("p1", "vote", "judge");
        Driver.Result result = new Driver(new FakeWorld(Map.of("p1", SOLVER, "p2", SOLVER, "judge", CRITIC), null))
                .run(problem);
        assertThat(result.layers()).hasSize(27).noneMatch(l -> l.agent().equals("vote"));
        assertThat(SearchEngine.bestPrompts(result.state())).containsOnlyKeys("p1", "p2", "judge");
        assertThat(result.sent(SearchCommand.RequestMinibatch.class)).filteredOn(m -> m.agent().equals("judge"))
                .allSatisfy(m -> assertThat(m.memoryAgents()).containsExactly("p1", "p2"));
        assertThat(result.sent(SearchCommand.ScoreCandidate.class)).allSatisfy(c ->
                assertThat(c.prompts()).doesNotContainKey("vote").doesNotContainKey(c.agent()));
    }

    @Test
    void problemFromTheProtocolsMasDefinition() {
        MasDefinition mas = new MasDefinition(List.of(
                new AgentDefinition("judge", "judge", "decides", "Given {context}, answer {question}.", AgentType.LLM),
                new AgentDefinition("p1", "solver", "solves", "Solve {question}.", AgentType.LLM),
                new AgentDefinition("vote", "vote", "majority", null, AgentType.MAJORITY_VOTE),
                new AgentDefinition("p2", "solver", "solves", "Answer {question}.", AgentType.LLM)),
                List.of(new Edge("p1", "vote"), new Edge("p2", "vote"), new Edge("vote", "judge")),
                List.of(List.of("p1", "p2"), List.of("vote"), List.of("judge")), "judge",
                new TaskDefinition(TaskType.MATH, "answer_tag", "Be right.", "exact"));
        SearchProblem problem = SearchProblem.of(mas, Strategy.MASPO.apply(PAPER));
        assertThat(problem.agents()).containsExactly(
                new AgentNode("p1", true, "Solve {question}.", List.of(), List.of("vote")),
                new AgentNode("p2", true, "Answer {question}.", List.of(), List.of("vote")),
                new AgentNode("vote", false, null, List.of("p1", "p2"), List.of("judge")),
                new AgentNode("judge", true, "Given {context}, answer {question}.", List.of("vote"), List.of()));
        assertThat(problem.terminal()).isEqualTo("judge");
        assertThat(problem.optimizableAgents()).containsExactly("p1", "p2", "judge");
    }

    // ---- refresh

    /** Every refresh comparison answered the same way, whatever the outputs. */
    private static Function<SearchCommand.ScoreCandidate, List<Judgement>> refreshJudge(Preference preference) {
        return s -> s.id().contains("/R") ? s.questionIds().stream()
                .flatMap(q -> s.judgedAgents().stream().map(a -> new Judgement(q, a, preference, preference))).toList()
                : null;
    }

    @Test
    void refreshReAnchorsWhenTheTopNodeBeatsTheBest() throws Exception {
        Driver.Result result = new Driver(chainWorld(refreshJudge(Preference.CANDIDATE))).run(chain(Strategy.MASPO));
        List<HistoryEntry.RefreshRecord> done = completedRefreshes(result);
        assertThat(done).isNotEmpty().allSatisfy(r -> {
            assertThat(r.rescored()).allSatisfy(c -> assertThat(c.jointScore()).isCloseTo(0.5, within(1e-12)));
            assertThat(r.reanchored()).isTrue();
            assertThat(r.bestNodeId()).isEqualTo(r.beamAfter().get(0).id()).isNotEqualTo(r.beamBefore().get(0).id());
            assertThat(r.topStable()).isFalse();
        });
    }

    @Test
    void refreshKeepsTheBestWhenNoNodeBeatsIt() throws Exception {
        Driver.Result result = new Driver(chainWorld(refreshJudge(Preference.PARENT))).run(chain(Strategy.MASPO));
        List<HistoryEntry.RefreshRecord> done = completedRefreshes(result);
        assertThat(done).isNotEmpty().allSatisfy(r -> {
            assertThat(r.reanchored()).isFalse();
            assertThat(r.bestNodeId()).isEqualTo(r.beamBefore().get(0).id()).isEqualTo(r.beamAfter().get(0).id());
            assertThat(r.topStable()).isTrue();
            // J is reset to the score against the best: 0 for the best itself, -0.5 for nodes that lost everything.
            assertThat(r.beamAfter()).extracting(BeamNode::score).containsExactly(0.0, -0.5);
        });
    }

    @Test
    void refreshIsSkippedWhenDisabledOrWhenNoOtherAgentChanged() throws Exception {
        assertThat(new Driver(chainWorld()).run(chain(Strategy.MASPO_NO_BEAM_REFRESH)).refreshes()).isEmpty();
        FakeWorld frozenCritic = new FakeWorld(Map.of("solver", SOLVER, "critic", List.of(new Skill("sloppy", -3, -3))),
                null);
        Driver.Result result = new Driver(frozenCritic).run(chain(Strategy.MASPO));
        assertThat(result.refreshes()).filteredOn(r -> r.agent().equals("solver"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(SearchEngine.SKIPPED));
    }

    private static List<HistoryEntry.RefreshRecord> completedRefreshes(Driver.Result result) {
        return result.refreshes().stream().filter(r -> r.status().equals(SearchEngine.COMPLETED)).toList();
    }

    // ---- determinism, idempotency, resume, budget

    @Test
    void resultsDoNotDependOnArrivalOrderOrDuplicates() throws Exception {
        for (SearchProblem problem : List.of(chain(Strategy.MASPO), hierarchical(Strategy.MASPO))) {
            boolean isChain = problem.agents().size() == 2;
            Driver.Result inOrder = new Driver(isChain ? chainWorld() : hierarchicalWorld()).run(problem);
            for (long shuffle = 1; shuffle <= 4; shuffle++) {
                Driver.Result shuffled = new Driver(isChain ? chainWorld() : hierarchicalWorld()).shuffled(shuffle)
                        .replayingOldResults().run(problem);
                assertThat(SearchEngine.bestPrompts(shuffled.state())).isEqualTo(SearchEngine.bestPrompts(inOrder.state()));
                assertThat(shuffled.history()).isEqualTo(inOrder.history());
                assertThat(Set.copyOf(shuffled.sent())).isEqualTo(Set.copyOf(inOrder.sent()));
            }
        }
    }

    @Test
    void theNextLayersMiniBatchIsRequestedDuringTheLayerAndIsTheOneItWouldHaveDrawnWhenItBegan() throws Exception {
        for (SearchProblem problem : List.of(chain(Strategy.MASPO), hierarchical(Strategy.MASPO))) {
            boolean isChain = problem.agents().size() == 2;
            Driver.Result ahead = new Driver(isChain ? chainWorld() : hierarchicalWorld()).run(problem);
            Driver.Result late = new Driver(isChain ? chainWorld() : hierarchicalWorld()).minibatchesLast().run(problem);

            assertThat(late.history()).isEqualTo(ahead.history());
            assertThat(late.layers()).extracting(HistoryEntry.LayerRecord::questionIds)
                    .isEqualTo(ahead.layers().stream().map(HistoryEntry.LayerRecord::questionIds).toList());
            List<String> sent = ahead.sent().stream().map(SearchCommand::id).toList();
            HistoryEntry.LayerRecord first = ahead.layers().getFirst();
            String nextMinibatch = "minibatch/" + first.agent() + "/L" + (first.layer() + 1);
            assertThat(sent).contains(nextMinibatch);
            assertThat(sent.indexOf(nextMinibatch)).as("requested before the first layer's baseline")
                    .isLessThan(sent.indexOf("baseline/" + first.agent() + "/L" + first.layer()));
            assertThat(ahead.sent(SearchCommand.RequestMinibatch.class)).as("each mini-batch requested once")
                    .doesNotHaveDuplicates();
            // What makes it safe: while a mini-batch is requested ahead, no agent whose memory its draw reads is at
            // work (only a layer's end records memory), so the memory is the same when its layer begins.
            for (SearchCommand.RequestMinibatch request : ahead.sent(SearchCommand.RequestMinibatch.class)) {
                int requested = sent.indexOf(request.id());
                int began = sent.indexOf("baseline/" + request.agent() + "/L" + request.layer());
                if (request.refresh() || began < 0) {
                    continue;
                }
                for (String between : sent.subList(requested + 1, began)) {
                    for (String reader : request.memoryAgents()) {
                        assertThat(between).as("%s sent while %s waited for its layer", between, request.id())
                                .doesNotContain("/" + reader + "/");
                    }
                }
            }
        }
    }

    @Test
    void resumesFromTheSerializedStateWithTheSameResult() throws Exception {
        Driver.Result uninterrupted = new Driver(hierarchicalWorld()).run(hierarchical(Strategy.MASPO));
        for (int restartAfter : new int[] {1, 23, 150, 400}) {
            Driver.Result resumed = new Driver(hierarchicalWorld()).shuffled(restartAfter).restartingAfter(restartAfter)
                    .run(hierarchical(Strategy.MASPO));
            assertThat(resumed.state()).isEqualTo(uninterrupted.state());
            assertThat(resumed.history()).isEqualTo(uninterrupted.history());
        }
    }

    /** The history leaves with each transition: the stored state does not grow with the length of the search. */
    @Test
    void theStoredStateDoesNotGrowWithTheSearch() throws Exception {
        SearchSettings oneVisit = new SearchSettings(PAPER.beamWidth(), PAPER.candidatesPerNode(),
                PAPER.minibatchSize(), 3, 3, PAPER.weights(), PAPER.misalignmentCasesKept(), PAPER.maxInjected(),
                PAPER.seed());
        Driver.Result shortSearch = new Driver(hierarchicalWorld()).run(new SearchProblem(
                hierarchical(Strategy.MASPO).agents(), "summarizer", Strategy.MASPO.apply(oneVisit)));
        Driver.Result longSearch = new Driver(hierarchicalWorld()).run(hierarchical(Strategy.MASPO));
        assertThat(longSearch.history()).hasSizeGreaterThan(3 * shortSearch.history().size());
        assertThat(longSearch.maxStateChars()).isLessThan(shortSearch.maxStateChars() * 3 / 2);
    }

    @Test
    void budgetExhaustedFinishesWithTheBestSoFar() throws Exception {
        Driver.Result result = new Driver(chainWorld()).budgetExhaustedAfter(120).run(chain(Strategy.MASPO));
        assertThat(result.state().finishReason()).isEqualTo("budget exhausted: calls");
        assertThat(result.state().outstanding()).isEmpty();
        assertThat(result.sent(SearchCommand.Finish.class)).singleElement()
                .satisfies(f -> assertThat(f.bestPrompts()).isEqualTo(SearchEngine.bestPrompts(result.state())));
        assertThat(result.layers().size()).isLessThan(18);
        // After the finish every result is ignored.
        SearchEngine.Transition late = SearchEngine.apply(result.state(), new SearchEvent.BaselineDone("baseline/solver/L1"));
        assertThat(late.commands()).isEmpty();
        assertThat(late.state()).isSameAs(result.state());
    }

    @Test
    void aCancelFinishesAsABudgetDoesWithItsOwnReason() throws Exception {
        SearchState midway = new Driver(chainWorld()).budgetExhaustedAfter(120).run(chain(Strategy.MASPO)).beforeBudget();
        SearchEngine.Transition budget = SearchEngine.apply(midway, new SearchEvent.BudgetExhausted("calls"));
        SearchEngine.Transition cancel = SearchEngine.apply(midway, new SearchEvent.Cancelled("cancelled by alice"));

        assertThat(cancel.state().finishReason()).isEqualTo("cancelled by alice");
        assertThat(cancel.state().outstanding()).isEmpty();
        assertThat(cancel.state().agents()).isEqualTo(budget.state().agents());
        assertThat(cancel.commands()).last().isInstanceOfSatisfying(SearchCommand.Finish.class, f -> {
            assertThat(f.reason()).isEqualTo("cancelled by alice");
            assertThat(f.bestPrompts()).isEqualTo(SearchEngine.bestPrompts(budget.state()));
        });
    }

    @Test
    void budgetExhaustedWhileScoringKeepsTheCandidatesJudgedSoFar() throws Exception {
        // Every layer candidate beats its parent, so a cut-off layer has something worth keeping.
        Function<SearchCommand.ScoreCandidate, List<Judgement>> candidatesWin = s -> s.id().contains("/L")
                ? s.questionIds().stream().flatMap(q -> s.judgedAgents().stream()
                        .map(a -> new Judgement(q, a, Preference.CANDIDATE, Preference.CANDIDATE))).toList()
                : null;
        int partialLayersThatImproved = 0;
        // Cut off in the first scoring phase with some candidates judged after 0, 1, 2, ... finished layers.
        for (int layersDone = 0; layersDone < 6; layersDone++) {
            int done = layersDone;
            Driver.Result result = new Driver(chainWorld(candidatesWin)).shuffled(7 + done)
                    .budgetExhaustedWhen((s, h) -> s.step() != null && s.step().step() instanceof ScheduleStep.Layer
                    && s.step().phase() == StepProgress.Phase.SCORING
                    && !s.step().judgements().isEmpty() && !s.outstanding().isEmpty()
                    && h.stream().filter(e -> e instanceof HistoryEntry.LayerRecord).count() >= done)
                    .run(chain(Strategy.MASPO));
            SearchState before = result.beforeBudget();
            StepProgress inProgress = before.step();
            List<String> judged = inProgress.candidates().stream()
                    .filter(c -> inProgress.judgements().containsKey(c.commandId())).map(StepProgress.Candidate::id).toList();

            HistoryEntry.LayerRecord partial = result.layers().getLast();
            assertThat(result.layers()).hasSize(1 + (int) result.history().subList(0, before.historySize()).stream()
                    .filter(h -> h instanceof HistoryEntry.LayerRecord).count());
            assertThat(partial.layer()).isEqualTo(((ScheduleStep.Layer) inProgress.step()).layer());
            assertThat(partial.status()).isEqualTo("PARTIAL: budget exhausted: calls; " + judged.size() + " of "
                    + inProgress.candidates().size() + " candidates judged");
            assertThat(judged.size()).isLessThan(inProgress.candidates().size());
            assertThat(partial.candidates()).extracting(ScoredCandidate::id).containsExactlyElementsOf(judged);
            assertThat(partial.candidates()).allSatisfy(c -> assertThat(c.accepted()).isTrue());
            // The agent's best is what the partial layer left, and the finish carries it.
            AgentState agent = result.state().agents().get(partial.agent());
            double bestBefore = before.agents().get(partial.agent()).bestScore();
            assertThat(partial.bestChanged()).isEqualTo(partial.beamAfter().get(0).score() > bestBefore);
            assertThat(agent.bestNodeId()).isEqualTo(partial.bestNodeId());
            assertThat(result.sent(SearchCommand.Finish.class)).singleElement()
                    .satisfies(f -> assertThat(f.bestPrompts()).isEqualTo(SearchEngine.bestPrompts(result.state())));
            if (partial.bestChanged()) {
                partialLayersThatImproved++;
                assertThat(judged).contains(partial.bestNodeId());
                assertThat(agent.bestPrompt()).isEqualTo(partial.beamAfter().get(0).prompt());
                assertThat(agent.bestScore()).isGreaterThan(bestBefore);
            }
        }
        assertThat(partialLayersThatImproved).as("cut-off layers that improved their agent").isGreaterThanOrEqualTo(3);
    }

    @Test
    void anEventOfTheWrongKindIsRefusedAndChangesNothing() {
        SearchEngine.Transition start = SearchEngine.start(chain(Strategy.MASPO));
        assertThat(start.commands()).extracting(SearchCommand::id)
                .containsExactly("minibatch/solver/L2", "minibatch/solver/L1"); // the next layer's ahead
        assertThatThrownBy(() ->
                        SearchEngine.apply(start.state(), new SearchEvent.BaselineDone("minibatch/solver/L1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(start.state().outstanding()).hasSize(2);
    }

    @Test
    void everyStrategyRunsToCompletion() throws Exception {
        for (Strategy strategy : Strategy.values()) {
            Driver.Result result = new Driver(hierarchicalWorld()).run(hierarchical(strategy));
            EffectiveSettings s = strategy.apply(PAPER);
            assertThat(result.state().finishReason()).as(strategy.wireName()).isEqualTo(SearchEngine.COMPLETED);
            assertThat(result.layers()).as(strategy.wireName()).hasSize(4 * s.layersPerAgent())
                    .allSatisfy(l -> assertThat(l.beamAfter()).hasSizeLessThanOrEqualTo(s.beamWidth()));
            assertThat(result.sent(SearchCommand.ScoreCandidate.class)).as(strategy.wireName())
                    .allSatisfy(c -> assertThat(c.questionIds().size()).isLessThanOrEqualTo(s.minibatchSize())
                            .isEqualTo(s.guards().adaptiveMinibatch() ? c.questionIds().size() : s.minibatchSize()));
        }
    }
}
