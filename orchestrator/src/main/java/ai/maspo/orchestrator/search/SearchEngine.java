package ai.maspo.orchestrator.search;

import ai.maspo.orchestrator.search.SearchCommand.Finish;
import ai.maspo.orchestrator.search.SearchCommand.Propose;
import ai.maspo.orchestrator.search.SearchCommand.RecordMisalignment;
import ai.maspo.orchestrator.search.SearchCommand.RequestMinibatch;
import ai.maspo.orchestrator.search.SearchCommand.RunBaseline;
import ai.maspo.orchestrator.search.SearchCommand.ScoreCandidate;
import ai.maspo.orchestrator.search.StepProgress.Candidate;
import ai.maspo.orchestrator.search.StepProgress.JudgeResult;
import ai.maspo.orchestrator.search.StepProgress.Phase;
import ai.maspo.orchestrator.search.StepProgress.ProposalResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The MASPO search of DESIGN.md §4 as a pure state machine: {@link #start} and {@link #apply} return the next
 * {@link SearchState}, the commands to send and the history entries to store. No I/O, no clock, no randomness beyond
 * {@link Seeds}; results of one phase are only combined once all of them are in, in a canonical order, so the outcome
 * does not depend on the order or the number of times events arrive.
 */
public final class SearchEngine {

    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED = "SKIPPED";
    public static final String PARTIAL = "PARTIAL";

    /**
     * @param history the entries this transition added to the search history, in order; the first one's sequence
     *                number is {@code state.historySize() - history.size()}
     */
    public record Transition(SearchState state, List<SearchCommand> commands, List<HistoryEntry> history) {
    }

    public static Transition start(SearchProblem problem) {
        Map<String, AgentState> agents = new TreeMap<>();
        for (String id : problem.optimizableAgents()) {
            String seedPrompt = problem.agent(id).seedPrompt();
            BeamNode seed = new BeamNode(id + "/seed", seedPrompt, 0, null);
            agents.put(id, new AgentState(List.of(seed), seedPrompt, 0, seed.id(), 0));
        }
        Draft draft = new Draft(new SearchState(problem, 0, agents, 0, null, List.of(), Map.of(), 0, null));
        beginStep(draft);
        return draft.transition();
    }

    public static Transition apply(SearchState state, SearchEvent event) {
        if (state.finished()) {
            return new Transition(state, List.of(), List.of());
        }
        Draft draft = new Draft(state);
        String stopReason = switch (event) {
            case SearchEvent.BudgetExhausted budget -> "budget exhausted: " + budget.reason();
            case SearchEvent.Cancelled cancelled -> cancelled.reason();
            default -> null;
        };
        if (stopReason != null) {
            keepJudgedCandidates(draft, stopReason);
            finish(draft, stopReason);
            return draft.transition();
        }
        SearchCommand command = draft.takeOutstanding(commandId(event));
        if (command == null) {
            return new Transition(state, List.of(), List.of()); // a duplicate, or a result of an abandoned step
        }
        boolean failed = event instanceof SearchEvent.CommandFailed;
        switch (command) {
            case RequestMinibatch request -> {
                SearchEvent.MinibatchDrawn drawn = failed ? null : answer(event, SearchEvent.MinibatchDrawn.class);
                if (awaitsMinibatch(draft, request.id())) {
                    onMinibatch(draft, drawn);
                } else { // drawn ahead of its layer: kept until the layer begins
                    draft.prefetched.put(request.id(), drawn == null ? new SearchState.PrefetchedMinibatch(List.of(),
                            List.of(), true) : new SearchState.PrefetchedMinibatch(drawn.questionIds(),
                            drawn.injectedIds(), false));
                }
            }
            case RunBaseline ignored -> {
                if (!failed) {
                    answer(event, SearchEvent.BaselineDone.class);
                }
                onBaseline(draft, failed);
            }
            case Propose propose ->
                    onProposal(draft, propose, failed ? null : answer(event, SearchEvent.ProposalReceived.class));
            case ScoreCandidate score ->
                    onJudged(draft, score, failed ? null : answer(event, SearchEvent.CandidateJudged.class));
            case RecordMisalignment ignored -> throw new IllegalStateException("one-way command awaited");
            case Finish ignored -> throw new IllegalStateException("one-way command awaited");
        }
        return draft.transition();
    }

    /** The optimizable agents' best prompts. */
    public static Map<String, String> bestPrompts(SearchState state) {
        Map<String, String> best = new TreeMap<>();
        state.agents().forEach((id, agent) -> best.put(id, agent.bestPrompt()));
        return Collections.unmodifiableMap(best);
    }

    public static List<ScheduleStep> schedule(SearchProblem problem) {
        EffectiveSettings s = problem.settings();
        return CoordinateAscentSchedule.build(problem.optimizableAgents(), s.layersPerAgent(), s.layersPerTurn(),
                s.beamRefresh());
    }

    private static <E extends SearchEvent> E answer(SearchEvent event, Class<E> expected) {
        if (!expected.isInstance(event)) {
            throw new IllegalArgumentException(event + " does not answer its command; expected " + expected.getSimpleName());
        }
        return expected.cast(event);
    }

    private static String commandId(SearchEvent event) {
        return switch (event) {
            case SearchEvent.MinibatchDrawn e -> e.commandId();
            case SearchEvent.BaselineDone e -> e.commandId();
            case SearchEvent.ProposalReceived e -> e.commandId();
            case SearchEvent.CandidateJudged e -> e.commandId();
            case SearchEvent.CommandFailed e -> e.commandId();
            case SearchEvent.BudgetExhausted e -> throw new IllegalArgumentException("no command id");
            case SearchEvent.Cancelled e -> throw new IllegalArgumentException("no command id");
        };
    }

    // ---- steps

    private static void beginStep(Draft d) {
        List<ScheduleStep> schedule = schedule(d.problem);
        while (d.stepIndex < schedule.size()) {
            ScheduleStep step = schedule.get(d.stepIndex);
            AgentState agent = d.agents.get(step.agent());
            if (step instanceof ScheduleStep.Refresh refresh && !refreshNeeded(d, agent)) {
                d.record(new HistoryEntry.RefreshRecord(refresh.agent(), refresh.visit(), SKIPPED, List.of(),
                        agent.beam(), List.of(), agent.beam(), true, false, agent.bestNodeId()));
                d.stepIndex++;
                continue;
            }
            d.step = StepProgress.start(step, agent.beam());
            String id = minibatchId(step);
            prefetchNextLayer(d, schedule);
            SearchState.PrefetchedMinibatch early = d.prefetched.remove(id);
            if (early != null) {
                onMinibatch(d, early.failed() ? null
                        : new SearchEvent.MinibatchDrawn(id, early.questionIds(), early.injectedIds()));
            } else if (!d.isOutstanding(id)) { // else prefetched and not answered yet: its answer begins the layer
                int layer = step instanceof ScheduleStep.Layer l ? l.layer()
                        : nextLayer(schedule, d.stepIndex, step.agent());
                d.send(minibatchRequest(d, step, layer));
            }
            return;
        }
        finish(d, COMPLETED);
    }

    private static String minibatchId(ScheduleStep step) {
        return switch (step) {
            case ScheduleStep.Layer l -> "minibatch/" + l.agent() + "/L" + l.layer();
            case ScheduleStep.Refresh r -> "minibatch/" + r.agent() + "/R" + r.visit();
        };
    }

    private static RequestMinibatch minibatchRequest(Draft d, ScheduleStep step, int layer) {
        EffectiveSettings s = d.problem.settings();
        String id = minibatchId(step);
        // A layer with an adaptive mini-batch draws its extension questions at once: no later round trip, and the draw
        // stays a function of the request's seed alone.
        int size = step instanceof ScheduleStep.Layer ? s.guards().layerDraw(s.minibatchSize()) : s.minibatchSize();
        return new RequestMinibatch(id, step.agent(), layer, step instanceof ScheduleStep.Refresh, size,
                s.maxInjected(), memoryAgents(d.problem, step.agent()), s.sampling(), d.seed(id));
    }

    /**
     * Requests the next layer's mini-batch now when the next step is a layer of the same agent, saving the sampler's
     * round trip between the layers. The draw is the same as if requested later: it depends on the pool, the
     * request's seed and the memory of the agent's predecessors ({@link #memoryAgents}), and during one agent's turn
     * only that agent records memory (a refresh records none). Not across turns (the previous agent's last record
     * must come first) nor before a refresh (whether one runs is only known after the layer).
     */
    private static void prefetchNextLayer(Draft d, List<ScheduleStep> schedule) {
        if (d.stepIndex + 1 >= schedule.size() || !(schedule.get(d.stepIndex + 1) instanceof ScheduleStep.Layer next)
                || !next.agent().equals(d.step.step().agent())) {
            return;
        }
        String id = minibatchId(next);
        if (!d.isOutstanding(id) && !d.prefetched.containsKey(id)) {
            d.send(minibatchRequest(d, next, next.layer()));
        }
    }

    /** Whether the step in progress waits for this mini-batch (else it was requested ahead of its layer). */
    private static boolean awaitsMinibatch(Draft d, String commandId) {
        return d.step != null && d.step.phase() == Phase.MINIBATCH && minibatchId(d.step.step()).equals(commandId);
    }

    /**
     * Whose memory feeds an agent's mini-batches: its predecessors, looking through non-LLM aggregators (which keep
     * no memory) to the optimizable agents behind them; in predecessor order, no repeats.
     */
    static List<String> memoryAgents(SearchProblem problem, String agent) {
        Set<String> memory = new LinkedHashSet<>();
        for (String predecessor : problem.agent(agent).predecessors()) {
            if (problem.agent(predecessor).optimizable()) {
                memory.add(predecessor);
            } else {
                memory.addAll(memoryAgents(problem, predecessor));
            }
        }
        return List.copyOf(memory);
    }

    /** Re-scoring is only informative if another agent's best changed and the beam holds more than the best. */
    private static boolean refreshNeeded(Draft d, AgentState agent) {
        return d.bestChanges > agent.changesAtLastLayer()
                && agent.beam().stream().anyMatch(node -> !node.prompt().equals(agent.bestPrompt()));
    }

    /**
     * The layer a refresh prepares: the agent's next one. Every earlier step of the schedule has ended (layers are
     * never skipped), and an agent's layers are numbered in schedule order, so the schedule alone tells it.
     */
    private static int nextLayer(List<ScheduleStep> schedule, int stepIndex, String agent) {
        return (int) schedule.subList(0, stepIndex).stream()
                .filter(s -> s instanceof ScheduleStep.Layer && s.agent().equals(agent)).count() + 1;
    }

    private static void advance(Draft d) {
        d.stepIndex++;
        d.step = null;
        beginStep(d);
    }

    private static void finish(Draft d, String reason) {
        d.finishReason = reason;
        d.step = null;
        d.outstanding.clear();
        d.prefetched.clear();
        Map<String, String> best = new TreeMap<>();
        d.agents.forEach((id, agent) -> best.put(id, agent.bestPrompt()));
        d.send(new Finish("finish", best, reason));
    }

    /**
     * Candidates already judged when the budget runs out or the run is cancelled were paid for: the layer is closed with them alone (the
     * others are not scored), so an improvement they bring still reaches the best prompts.
     */
    private static void keepJudgedCandidates(Draft d, String reason) {
        StepProgress p = d.step;
        if (p == null || !(p.step() instanceof ScheduleStep.Layer) || p.phase() != Phase.SCORING
                || p.judgements().isEmpty()) {
            return;
        }
        List<Candidate> judged = p.candidates().stream().filter(c -> p.judgements().containsKey(c.commandId())).toList();
        d.step = p.withCandidates(judged, p.rejected());
        completeLayer(d, PARTIAL + ": " + reason + "; " + judged.size() + " of " + p.candidates().size()
                + " candidates judged");
    }

    private static void failStep(Draft d, String why) {
        StepProgress p = d.step;
        AgentState agent = d.agents.get(p.step().agent());
        HistoryEntry entry = switch (p.step()) {
            case ScheduleStep.Layer l -> new HistoryEntry.LayerRecord(l.agent(), l.layer(), FAILED + ": " + why,
                    p.questionIds(), p.injectedIds(), p.beamBefore(), List.of(), p.rejected(), Map.of(), p.beamBefore(),
                    false, agent.bestNodeId(), null, 0, List.of());
            case ScheduleStep.Refresh r -> new HistoryEntry.RefreshRecord(r.agent(), r.visit(), FAILED + ": " + why,
                    p.questionIds(), p.beamBefore(), List.of(), p.beamBefore(), true, false, agent.bestNodeId());
        };
        d.record(entry);
        advance(d);
    }

    // ---- phases

    private static void onMinibatch(Draft d, SearchEvent.MinibatchDrawn drawn) {
        if (drawn == null || drawn.questionIds().isEmpty()) {
            failStep(d, drawn == null ? "mini-batch" : "empty mini-batch");
            return;
        }
        List<String> questions = List.copyOf(new LinkedHashSet<>(drawn.questionIds()));
        List<String> injected = drawn.injectedIds().stream().filter(questions::contains).distinct().toList();
        StepProgress p = d.step;
        String agentId = p.step().agent();
        AgentState agent = d.agents.get(agentId);
        switch (p.step()) {
            case ScheduleStep.Layer l -> {
                d.step = p.withMinibatch(Phase.BASELINE, questions, injected);
                Map<String, String> nodePrompts = new TreeMap<>();
                p.beamBefore().forEach(node -> nodePrompts.put(node.id(), node.prompt()));
                String id = "baseline/" + agentId + "/L" + l.layer();
                d.send(new RunBaseline(id, agentId, l.layer(), Collections.unmodifiableMap(nodePrompts),
                        minibatch(d, questions), d.othersBest(agentId), d.seed(id)));
            }
            case ScheduleStep.Refresh r -> {
                List<Candidate> rescored = new ArrayList<>();
                for (BeamNode node : p.beamBefore()) {
                    if (!node.prompt().equals(agent.bestPrompt())) {
                        rescored.add(new Candidate(node.id(), agent.bestNodeId(), node.prompt(),
                                "score/" + agentId + "/R" + r.visit() + "/" + node.id()));
                    }
                }
                d.step = p.withMinibatch(Phase.SCORING, questions, injected).withCandidates(rescored, List.of());
                rescored.forEach(c -> sendScore(d, c, agent.bestPrompt(), c.commandId(), questions));
            }
        }
    }

    private static void onBaseline(Draft d, boolean failed) {
        if (failed) {
            failStep(d, "baseline");
            return;
        }
        StepProgress p = d.step.withPhase(Phase.PROPOSING);
        d.step = p;
        ScheduleStep.Layer layer = (ScheduleStep.Layer) p.step();
        EffectiveSettings s = d.problem.settings();
        Set<String> injected = new HashSet<>(p.injectedIds());
        List<String> drawn = minibatch(d, p.questionIds()).stream().filter(q -> !injected.contains(q)).toList();
        // Memory questions are always shown: flagged as misalignment cases, or (success ablation) as plain traces.
        List<String> flagged = s.sampling() == SamplingMode.MISALIGNMENT ? p.injectedIds() : List.of();
        List<String> shownAnyway = s.sampling() == SamplingMode.SUCCESS ? p.injectedIds() : List.of();
        String baselineId = "baseline/" + layer.agent() + "/L" + layer.layer();
        for (int slot = 0; slot < p.beamBefore().size(); slot++) {
            BeamNode node = p.beamBefore().get(slot);
            for (int c = 0; c < s.candidatesPerNode(); c++) {
                String id = "propose/" + position(layer, slot, c);
                Set<String> half = new HashSet<>(Seeds.sample(drawn, (drawn.size() + 1) / 2, d.seed(id, "traces")));
                List<String> traces = new ArrayList<>(drawn.stream().filter(half::contains).toList());
                traces.addAll(shownAnyway);
                d.send(new Propose(id, layer.agent(), layer.layer(), node.id(), node.prompt(), baselineId,
                        List.copyOf(traces), flagged, d.seed(id)));
            }
        }
    }

    /**
     * The layer's mini-batch proper: its first B questions (memory questions come first). The rest of an adaptive
     * draw only serves to extend the scoring of open decisions.
     */
    private static List<String> minibatch(Draft d, List<String> drawn) {
        return drawn.subList(0, Math.min(d.problem.settings().minibatchSize(), drawn.size()));
    }

    private static String position(ScheduleStep.Layer layer, int slot, int candidate) {
        return layer.agent() + "/L" + layer.layer() + "/n" + slot + "/c" + candidate;
    }

    private static void onProposal(Draft d, Propose command, SearchEvent.ProposalReceived received) {
        Map<String, ProposalResult> proposals = new TreeMap<>(d.step.proposals());
        proposals.put(command.id(), received == null ? new ProposalResult(null, true)
                : new ProposalResult(received.prompt(), false));
        d.step = d.step.withProposals(Collections.unmodifiableMap(proposals));
        if (d.stepWaits()) {
            return;
        }
        StepProgress p = d.step;
        ScheduleStep.Layer layer = (ScheduleStep.Layer) p.step();
        boolean hasPredecessors = !d.problem.agent(layer.agent()).predecessors().isEmpty();
        Set<String> taken = new LinkedHashSet<>();
        p.beamBefore().forEach(node -> taken.add(node.prompt()));
        List<Candidate> candidates = new ArrayList<>();
        List<RejectedProposal> rejected = new ArrayList<>();
        // Canonical order (slot, candidate): which of two identical proposals is the duplicate never depends on timing.
        for (int slot = 0; slot < p.beamBefore().size(); slot++) {
            BeamNode node = p.beamBefore().get(slot);
            for (int c = 0; c < d.problem.settings().candidatesPerNode(); c++) {
                String position = position(layer, slot, c);
                String id = "propose/" + position;
                ProposalResult result = p.proposals().get(id);
                ProposalVerdict verdict = result.failed()
                        ? new ProposalVerdict.Rejected(RejectionReason.OPTIMIZER_FAILED, "optimizer job failed")
                        : ProposalValidator.validate(result.prompt(), node.prompt(), hasPredecessors, taken);
                switch (verdict) {
                    case ProposalVerdict.Accepted accepted -> {
                        taken.add(accepted.template());
                        candidates.add(new Candidate(position, node.id(), accepted.template(), "score/" + position));
                    }
                    case ProposalVerdict.Rejected r ->
                            rejected.add(new RejectedProposal(id, node.id(), result.prompt(), r.reason(), r.detail()));
                }
            }
        }
        d.step = p.withCandidates(candidates, rejected);
        if (candidates.isEmpty()) {
            completeLayer(d, COMPLETED);
            advance(d);
            return;
        }
        Map<String, String> parents = new HashMap<>();
        p.beamBefore().forEach(node -> parents.put(node.id(), node.prompt()));
        List<String> firstRound = scoringRound(d, 0);
        candidates.forEach(c -> sendScore(d, c, parents.get(c.parentId()), c.commandId(), firstRound));
    }

    private static void sendScore(Draft d, Candidate candidate, String parentPrompt, String commandId,
                                  List<String> questions) {
        String agent = d.step.step().agent();
        d.send(new ScoreCandidate(commandId, agent, candidate.id(), candidate.prompt(), parentPrompt, questions,
                d.othersBest(agent), judgedAgents(d.problem, agent), d.seed(commandId)));
    }

    /**
     * The order in which a layer's candidates are scored: without an adaptive mini-batch, the mini-batch as drawn;
     * with one, the mini-batch in a seeded order (so the first half mixes memory and random questions), then the
     * extension questions as drawn.
     */
    private static List<String> scoringOrder(Draft d) {
        StepProgress p = d.step;
        Guards guards = d.problem.settings().guards();
        if (!guards.adaptiveMinibatch()) {
            return p.questionIds();
        }
        ScheduleStep.Layer layer = (ScheduleStep.Layer) p.step();
        List<String> minibatch = minibatch(d, p.questionIds());
        List<String> order = new ArrayList<>(Seeds.sample(minibatch, minibatch.size(),
                d.seed("score/" + layer.agent() + "/L" + layer.layer(), "order")));
        int cap = Math.min(guards.layerDraw(d.problem.settings().minibatchSize()), p.questionIds().size());
        order.addAll(p.questionIds().subList(minibatch.size(), Math.max(minibatch.size(), cap)));
        return order;
    }

    /**
     * The questions of scoring round {@code round} (0 = the first): the first round takes the first half of the
     * mini-batch when adaptive (all of it otherwise), each later one the next half mini-batch; empty when none is
     * left.
     */
    private static List<String> scoringRound(Draft d, int round) {
        List<String> order = scoringOrder(d);
        int b = d.problem.settings().minibatchSize();
        int first = Math.min(d.problem.settings().guards().firstRound(b), order.size());
        if (round == 0) {
            return order.subList(0, first);
        }
        int step = (b + 1) / 2;
        int from = Math.min(first + (round - 1) * step, order.size());
        return order.subList(from, Math.min(from + step, order.size()));
    }

    private static String roundCommandId(Candidate candidate, int round) {
        return round == 0 ? candidate.commandId() : candidate.commandId() + "/x" + round;
    }

    /** The judgements a candidate got over its scoring rounds so far, and the questions those rounds covered. */
    private record Scored(JudgeResult result, List<String> questions, int rounds) {
    }

    private static Scored scored(Draft d, Candidate candidate) {
        List<Judgement> judgements = new ArrayList<>();
        List<String> questions = new ArrayList<>();
        boolean failed = false;
        int round = 0;
        for (JudgeResult r; (r = d.step.judgements().get(roundCommandId(candidate, round))) != null; round++) {
            judgements.addAll(r.judgements());
            questions.addAll(d.step.step() instanceof ScheduleStep.Layer ? scoringRound(d, round) : d.step.questionIds());
            failed |= r.failed();
        }
        return new Scored(new JudgeResult(List.copyOf(judgements), failed), List.copyOf(questions), round);
    }

    /**
     * Adaptive mini-batch: sends the next scoring round of every candidate whose decision is still open and that has
     * questions left; false when there is none (the layer is decided).
     */
    private static boolean extendOpenDecisions(Draft d) {
        EffectiveSettings s = d.problem.settings();
        if (!s.guards().adaptiveMinibatch()) {
            return false;
        }
        String agent = d.step.step().agent();
        boolean terminal = agent.equals(d.problem.terminal());
        Map<String, String> parents = new HashMap<>();
        d.step.beamBefore().forEach(node -> parents.put(node.id(), node.prompt()));
        boolean extended = false;
        for (Candidate c : d.step.candidates()) {
            Scored sc = scored(d, c);
            if (sc.result().failed()) {
                continue;
            }
            List<String> next = scoringRound(d, sc.rounds());
            if (next.isEmpty() || Acceptance.judge(scores(d, agent, sc.result(), sc.questions()), s.weights(), terminal,
                    s.guards()).decision() != Acceptance.Decision.OPEN) {
                continue;
            }
            sendScore(d, c, parents.get(c.parentId()), roundCommandId(c, sc.rounds()), next);
            extended = true;
        }
        return extended;
    }

    /**
     * Whose outputs are compared: those with a weight, plus all downstream ones when the memory is mined. A
     * successor that is the terminal agent is judged once and serves as both lookahead and global comparison.
     */
    static List<String> judgedAgents(SearchProblem problem, String agent) {
        if (agent.equals(problem.terminal())) {
            return List.of(agent);
        }
        EffectiveSettings s = problem.settings();
        boolean mining = s.sampling() != SamplingMode.NONE;
        Set<String> judged = new LinkedHashSet<>();
        if (s.weights().local() > 0 || mining) {
            judged.add(agent);
        }
        if (s.weights().lookahead() > 0 || mining) {
            judged.addAll(problem.agent(agent).successors());
        }
        if (s.weights().global() > 0 || mining) {
            judged.add(problem.terminal());
        }
        return List.copyOf(judged);
    }

    private static void onJudged(Draft d, ScoreCandidate command, SearchEvent.CandidateJudged judged) {
        Map<String, JudgeResult> results = new TreeMap<>(d.step.judgements());
        results.put(command.id(), judged == null ? new JudgeResult(List.of(), true)
                : new JudgeResult(List.copyOf(judged.judgements()), false));
        d.step = d.step.withJudgements(Collections.unmodifiableMap(results));
        if (d.stepWaits()) {
            return;
        }
        if (d.step.step() instanceof ScheduleStep.Layer) {
            if (extendOpenDecisions(d)) {
                return;
            }
            completeLayer(d, COMPLETED);
        } else {
            completeRefresh(d);
        }
        advance(d);
    }

    /** The votes per question, in the order given; a comparison the result lacks counts as a tie. */
    private static List<QuestionScore> scores(Draft d, String agent, JudgeResult result, List<String> questions) {
        Map<String, Judgement> index = new HashMap<>();
        for (Judgement j : result.judgements()) {
            index.putIfAbsent(j.questionId() + "\u0000" + j.judgedAgent(), j);
        }
        List<String> judged = judgedAgents(d.problem, agent);
        String terminal = d.problem.terminal();
        List<QuestionScore> scores = new ArrayList<>();
        for (String q : questions) {
            Double local = !agent.equals(terminal) && judged.contains(agent) ? vote(index, q, agent) : null;
            Map<String, Double> lookahead = new LinkedHashMap<>();
            for (String successor : d.problem.agent(agent).successors()) {
                if (judged.contains(successor)) {
                    lookahead.put(successor, vote(index, q, successor));
                }
            }
            Double global = judged.contains(terminal) ? vote(index, q, terminal) : null;
            scores.add(new QuestionScore(q, local, lookahead, global));
        }
        return scores;
    }

    private static double vote(Map<String, Judgement> index, String question, String judgedAgent) {
        Judgement j = index.get(question + "\u0000" + judgedAgent);
        return j == null ? 0.5 : BothOrdersVote.of(j.candidateShownFirst(), j.candidateShownSecond());
    }

    private static void completeLayer(Draft d, String status) {
        StepProgress p = d.step;
        ScheduleStep.Layer layer = (ScheduleStep.Layer) p.step();
        String agentId = layer.agent();
        AgentState agent = d.agents.get(agentId);
        EffectiveSettings s = d.problem.settings();
        boolean terminal = agentId.equals(d.problem.terminal());
        Set<String> injected = new HashSet<>(p.injectedIds());
        Map<String, BeamNode> parents = new HashMap<>();
        p.beamBefore().forEach(node -> parents.put(node.id(), node));
        List<BeamNode> pool = new ArrayList<>(p.beamBefore());
        List<ScoredCandidate> scored = new ArrayList<>();
        Map<String, List<QuestionScore>> scoresById = new HashMap<>();
        Integer misaligned = null;
        int drawn = 0;
        for (Candidate c : p.candidates()) {
            Scored sc = scored(d, c);
            JudgeResult result = sc.result();
            List<QuestionScore> scores = scores(d, agentId, result, sc.questions());
            scoresById.put(c.id(), scores);
            Acceptance.Verdict verdict = Acceptance.judge(scores, s.weights(), terminal, s.guards());
            double r = verdict.jointScore();
            boolean accepted = !result.failed() && verdict.decision() == Acceptance.Decision.ACCEPT;
            if (accepted) {
                pool.add(new BeamNode(c.id(), c.prompt(), parents.get(c.parentId()).score() + r, c.parentId()));
            }
            scored.add(new ScoredCandidate(c.id(), c.parentId(), c.prompt(), r, JointScore.rates(scores), accepted,
                    result.failed(), guarded(s) ? verdict.lowerBound() : null,
                    guarded(s) ? sc.questions().size() : null));
            if (!terminal && scores.stream().anyMatch(q -> q.local() != null && (q.global() != null || !q.lookahead().isEmpty()))) {
                MisalignmentMiner.Rate rate = MisalignmentMiner.rate(scores, injected);
                misaligned = (misaligned == null ? 0 : misaligned) + rate.misaligned();
                drawn += rate.drawn();
            }
        }
        List<BeamNode> beam = Beam.select(pool, s.beamWidth());
        BeamNode top = beam.get(0);
        boolean bestChanged = top.score() > agent.bestScore();
        List<MemoryCase> recorded = List.of();
        String bestPrompt = agent.bestPrompt();
        double bestScore = agent.bestScore();
        String bestNodeId = agent.bestNodeId();
        if (bestChanged) {
            bestPrompt = top.prompt();
            bestScore = top.score();
            bestNodeId = top.id();
            d.bestChanges++;
            List<QuestionScore> topScores = scoresById.get(top.id());
            if (topScores != null && !terminal) {
                recorded = MisalignmentMiner.cases(topScores, s.sampling(), s.misalignmentCasesKept());
            }
            if (!recorded.isEmpty()) {
                d.send(new RecordMisalignment("memory/" + agentId + "/L" + layer.layer(), agentId, recorded));
            }
        }
        d.agents.put(agentId, new AgentState(beam, bestPrompt, bestScore, bestNodeId, d.bestChanges));
        Map<RejectionReason, Integer> counts = new EnumMap<>(RejectionReason.class);
        p.rejected().forEach(r -> counts.merge(r.reason(), 1, Integer::sum));
        d.record(new HistoryEntry.LayerRecord(agentId, layer.layer(), status, p.questionIds(), p.injectedIds(),
                p.beamBefore(), scored, p.rejected(), Collections.unmodifiableMap(counts), beam, bestChanged, bestNodeId,
                misaligned, drawn, recorded));
    }

    /** Whether guards are on: only then does the history record bounds and question counts (else R and B). */
    private static boolean guarded(EffectiveSettings s) {
        return !s.guards().equals(Guards.OFF);
    }

    private static void completeRefresh(Draft d) {
        StepProgress p = d.step;
        ScheduleStep.Refresh refresh = (ScheduleStep.Refresh) p.step();
        String agentId = refresh.agent();
        AgentState agent = d.agents.get(agentId);
        boolean terminal = agentId.equals(d.problem.terminal());
        Map<String, ScoredCandidate> rescoredById = new HashMap<>();
        Map<String, Acceptance.Decision> decisions = new HashMap<>();
        List<ScoredCandidate> rescored = new ArrayList<>();
        EffectiveSettings s = d.problem.settings();
        for (Candidate c : p.candidates()) {
            JudgeResult result = p.judgements().get(c.commandId());
            List<QuestionScore> scores = scores(d, agentId, result, p.questionIds());
            Acceptance.Verdict verdict = Acceptance.judge(scores, s.weights(), terminal, s.guards());
            double r = verdict.jointScore();
            decisions.put(c.id(), verdict.decision());
            ScoredCandidate sc = new ScoredCandidate(c.id(), c.parentId(), c.prompt(), r, JointScore.rates(scores),
                    false, result.failed(), guarded(s) ? verdict.lowerBound() : null, guarded(s) ? scores.size() : null);
            rescoredById.put(c.id(), sc);
            rescored.add(sc);
        }
        // J is reset to the score against the current best, whose own score is 0 on that scale.
        List<BeamNode> reset = new ArrayList<>();
        for (BeamNode node : p.beamBefore()) {
            ScoredCandidate sc = rescoredById.get(node.id());
            reset.add(new BeamNode(node.id(), node.prompt(), sc == null ? 0 : sc.jointScore(), node.parentId()));
        }
        List<BeamNode> beam = Beam.select(reset, s.beamWidth());
        BeamNode top = beam.get(0);
        ScoredCandidate topScore = rescoredById.get(top.id());
        // The same rule as a layer's acceptance (R > 0 under the paper's rule); open counts as not beaten.
        boolean reanchored = topScore != null && !topScore.failed()
                && decisions.get(top.id()) == Acceptance.Decision.ACCEPT;
        String bestPrompt = agent.bestPrompt();
        double bestScore = 0;
        String bestNodeId = agent.bestNodeId();
        if (reanchored) {
            bestPrompt = top.prompt();
            bestScore = top.score();
            bestNodeId = top.id();
            d.bestChanges++;
            rescored.replaceAll(sc -> sc.id().equals(top.id())
                    ? new ScoredCandidate(sc.id(), sc.parentId(), sc.prompt(), sc.jointScore(), sc.rates(), true, false,
                    sc.lowerBound(), sc.questions())
                    : sc);
        }
        d.agents.put(agentId, new AgentState(beam, bestPrompt, bestScore, bestNodeId, agent.changesAtLastLayer()));
        boolean stable = top.prompt().equals(p.beamBefore().get(0).prompt());
        d.record(new HistoryEntry.RefreshRecord(agentId, refresh.visit(), COMPLETED, p.questionIds(),
                p.beamBefore(), rescored, beam, stable, reanchored, bestNodeId));
    }

    /** A mutable working copy of the state for the duration of one transition. */
    private static final class Draft {
        final SearchProblem problem;
        int stepIndex;
        final Map<String, AgentState> agents;
        long bestChanges;
        StepProgress step;
        final List<SearchCommand> outstanding;
        final Map<String, SearchState.PrefetchedMinibatch> prefetched;
        int historySize;
        String finishReason;
        final List<SearchCommand> emitted = new ArrayList<>();
        final List<HistoryEntry> recorded = new ArrayList<>();

        Draft(SearchState s) {
            problem = s.problem();
            stepIndex = s.stepIndex();
            agents = new TreeMap<>(s.agents());
            bestChanges = s.bestChanges();
            step = s.step();
            outstanding = new ArrayList<>(s.outstanding());
            prefetched = new TreeMap<>(s.prefetched());
            historySize = s.historySize();
            finishReason = s.finishReason();
        }

        void record(HistoryEntry entry) {
            recorded.add(entry);
            historySize++;
        }

        void send(SearchCommand command) {
            emitted.add(command);
            if (command.awaitsResult()) {
                outstanding.add(command);
            }
        }

        /**
         * Whether the step in progress still waits for answers to its proposals or scores; a mini-batch requested
         * ahead for the next layer does not hold it up.
         */
        boolean stepWaits() {
            return outstanding.stream().anyMatch(c -> !(c instanceof RequestMinibatch));
        }

        boolean isOutstanding(String id) {
            return outstanding.stream().anyMatch(c -> c.id().equals(id));
        }

        SearchCommand takeOutstanding(String id) {
            for (int i = 0; i < outstanding.size(); i++) {
                if (outstanding.get(i).id().equals(id)) {
                    return outstanding.remove(i);
                }
            }
            return null;
        }

        long seed(String... path) {
            return Seeds.derive(problem.settings().seed(), path);
        }

        /** The current best prompts of the other optimizable agents. */
        Map<String, String> othersBest(String agent) {
            Map<String, String> prompts = new TreeMap<>();
            agents.forEach((id, state) -> {
                if (!id.equals(agent)) {
                    prompts.put(id, state.bestPrompt());
                }
            });
            return Collections.unmodifiableMap(prompts);
        }

        Transition transition() {
            SearchState state = new SearchState(problem, stepIndex, Collections.unmodifiableMap(new TreeMap<>(agents)),
                    bestChanges, step, List.copyOf(outstanding), Collections.unmodifiableMap(new TreeMap<>(prefetched)),
                    historySize, finishReason);
            return new Transition(state, List.copyOf(emitted), List.copyOf(recorded));
        }
    }

    private SearchEngine() {
    }
}
