package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.JobReplies;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.search.Judgement;
import ai.maspo.orchestrator.search.Preference;
import ai.maspo.orchestrator.search.SearchCommand;
import ai.maspo.orchestrator.search.SearchEvent;
import ai.maspo.orchestrator.search.Seeds;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.BaselineJob;
import ai.maspo.protocol.BaselineTraces;
import ai.maspo.protocol.EvaluationJob;
import ai.maspo.protocol.EvaluationOutcome;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.Judgements;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.MinibatchRequest;
import ai.maspo.protocol.Proposal;
import ai.maspo.protocol.ProposeJob;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.RecordMisalignment;
import ai.maspo.protocol.RegisterPool;
import ai.maspo.protocol.RunMasJob;
import ai.maspo.protocol.SamplerCommand;
import ai.maspo.protocol.ScoreCandidateJob;
import ai.maspo.protocol.Topics;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns the engine's commands into messages for the sampler and the evaluators, and completed answers back into
 * engine events. Baseline and scoring commands are split into one job per question (keyed by run and question) so
 * one layer is served by all evaluator replicas at once; the command's event is built when its last job is in.
 */
@ApplicationScoped
public class SearchDispatch {

    static final String POOL = "register-pool";
    static final String MINIBATCH = "minibatch";
    static final String BASELINE = "baseline";
    static final String PROPOSE = "propose";
    static final String SCORE = "score";
    static final String MEMORY = "record-misalignment";
    static final String TEST_SEED = "test-seed";
    static final String TEST_BEST = "test-best";
    private static final String DOWNSTREAM_FAILURE =
            "A prompt change that looked better for this agent made its successors or the final answer worse here.";

    private final Dispatcher dispatcher;
    private final WireCodec codec;

    SearchDispatch(Dispatcher dispatcher, ObjectMapper mapper, Validator validator) {
        this.dispatcher = dispatcher;
        this.codec = new WireCodec(mapper, validator);
    }

    void registerPool(RunEntity run, ValidRun valid) {
        toSampler(run, run.id + "/pool", null, POOL, new RegisterPool(run.id, valid.pool()), false);
    }

    void send(RunEntity run, ValidRun valid, SearchCommand command) {
        String commandRequest = run.id + "/" + command.id();
        switch (command) {
            case SearchCommand.RequestMinibatch c -> toSampler(run, commandRequest, c.id(), MINIBATCH,
                    new MinibatchRequest(commandRequest, run.id, c.agent(), c.layer(), c.size(), c.maxInjected(),
                            c.memoryAgents(), c.seed()), true);
            case SearchCommand.RunBaseline c -> {
                for (Question q : questions(valid, c.questionIds())) {
                    toEvaluators(run, valid, c.id(), BASELINE, q,
                            new BaselineJob(c.agent(), c.nodePrompts(), c.prompts(), List.of(q)));
                }
            }
            case SearchCommand.Propose c -> {
                Map<String, QuestionTrace> traces = baselineTraces(run, c.baselineId(), c.nodeId());
                Function<String, ProposeJob.TraceExample> plain = qid -> {
                    AgentTrace t = agentTrace(traces.get(qid), c.agent());
                    return ProposeJob.TraceExample.plain(qid, question(valid, qid).text(), t.context(), t.output());
                };
                var job = new ProposeJob(c.agent(), c.nodePrompt(),
                        c.traceQuestionIds().stream().map(plain).toList(),
                        c.flaggedQuestionIds().stream().map(qid -> flagged(valid.mas(), c.agent(), traces.get(qid),
                                question(valid, qid).text())).toList(), c.seed());
                dispatcher.dispatch(run.id, commandRequest, c.id(), PROPOSE, Topics.EVALUATION_REQUESTS,
                        run.id + ":" + c.id(), codec.encode(request(valid, run, commandRequest, job)), true);
            }
            case SearchCommand.ScoreCandidate c -> {
                for (Question q : questions(valid, c.questionIds())) {
                    toEvaluators(run, valid, c.id(), SCORE, q, new ScoreCandidateJob(c.agent(), c.candidatePrompt(),
                            c.parentPrompt(), c.prompts(), List.of(q), c.judgedAgents()));
                }
            }
            case SearchCommand.RecordMisalignment c -> {
                // Cases of later layers are more recent; the sampler prefers them among equally telling ones.
                int sequence = (int) DispatchEntity.count("runId = ?1 and kind = ?2", run.id, MEMORY);
                toSampler(run, commandRequest, c.id(), MEMORY, new RecordMisalignment(run.id, c.agent(), sequence,
                        c.cases().stream().map(m -> new RecordMisalignment.Case(m.questionId(), m.kind().ordinal()))
                                .toList()), false);
            }
            case SearchCommand.Finish ignored -> throw new IllegalArgumentException("Finish is handled by the run");
        }
    }

    /** Runs the seed and the optimized prompts on the labelled test set (a deterministic backbone: cached twice). */
    void testAccuracy(RunEntity run, ValidRun valid, Map<String, String> optimized) {
        for (Question q : valid.test()) {
            toEvaluators(run, valid, null, TEST_SEED, q, new RunMasJob(valid.seedPrompts(), List.of(q)));
            toEvaluators(run, valid, null, TEST_BEST, q, new RunMasJob(optimized, List.of(q)));
        }
    }

    /**
     * Sends a failed job again as attempt {@code attempt}: the same job under the request id {@code <first id>#n},
     * new to the evaluators (they remember answered ids) and to the reply table.
     */
    void retry(DispatchEntity failed, String firstRequestId, int attempt) {
        EvaluationRequest request = codec.decode(failed.payload, EvaluationRequest.class);
        String requestId = firstRequestId + "#" + attempt;
        dispatcher.dispatch(failed.runId, requestId, failed.commandId, failed.kind, failed.topic, failed.messageKey,
                codec.encode(new EvaluationRequest(requestId, request.runId(), request.seed(), request.mas(),
                        request.models(), request.job())), true);
    }

    /**
     * The engine event of a command whose jobs have all succeeded; {@code lastReply} is the reply that completed it
     * (the only one for a mini-batch or a proposal).
     */
    SearchEvent event(String runId, String commandId, String kind, String lastReply) {
        return switch (kind) {
            case MINIBATCH -> {
                Minibatch minibatch = codec.decode(lastReply, Minibatch.class);
                yield new SearchEvent.MinibatchDrawn(commandId, minibatch.questions().stream().map(Question::id).toList(),
                        minibatch.injectedQuestionIds());
            }
            case BASELINE -> new SearchEvent.BaselineDone(commandId);
            case PROPOSE -> new SearchEvent.ProposalReceived(commandId, ((Proposal) outcome(lastReply)).prompt());
            case SCORE -> new SearchEvent.CandidateJudged(commandId, JobReplies.ofCommand(runId, commandId).stream()
                    .flatMap(reply -> ((Judgements) outcome(reply)).verdicts().stream())
                    .map(v -> new Judgement(v.questionId(), v.judgedAgent(), preference(v.candidateShownFirst()),
                            preference(v.candidateShownSecond())))
                    .toList());
            default -> throw new IllegalStateException("no event for a " + kind + " answer");
        };
    }

    private Map<String, QuestionTrace> baselineTraces(RunEntity run, String baselineId, String nodeId) {
        return JobReplies.ofCommand(run.id, baselineId).stream()
                .flatMap(reply -> ((BaselineTraces) outcome(reply)).traces().get(nodeId).stream())
                .collect(Collectors.toMap(QuestionTrace::questionId, Function.identity()));
    }

    /**
     * A misalignment case with what happened after the agent on that question in the same baseline run: the summary
     * its successors read, the outputs of its successors (the terminal one shown as the final output) and the
     * final output, so that the optimizer sees the downstream failure rather than being told of it.
     */
    static ProposeJob.TraceExample flagged(MasDefinition mas, String agentId, QuestionTrace trace, String question) {
        AgentTrace own = agentTrace(trace, agentId);
        String terminal = mas.terminal();
        boolean isTerminal = agentId.equals(terminal);
        List<ProposeJob.AgentOutput> successors = mas.edges().stream()
                .filter(e -> e.from().equals(agentId) && !e.to().equals(terminal))
                .map(e -> new ProposeJob.AgentOutput(e.to(), agentTrace(trace, e.to()).output()))
                .toList();
        String passedOn = isTerminal || own.shortOutput() == null || own.shortOutput().equals(own.output())
                ? null : own.shortOutput();
        ProposeJob.AgentOutput finalOutput = isTerminal ? null
                : new ProposeJob.AgentOutput(terminal, agentTrace(trace, terminal).output());
        return new ProposeJob.TraceExample(trace.questionId(), question, own.context(), own.output(), DOWNSTREAM_FAILURE,
                passedOn, successors, finalOutput);
    }

    private static AgentTrace agentTrace(QuestionTrace trace, String agentId) {
        return trace.agents().stream().filter(a -> a.agentId().equals(agentId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no trace of " + agentId + " for " + trace.questionId()));
    }

    private void toEvaluators(RunEntity run, ValidRun valid, String commandId, String kind, Question q, EvaluationJob job) {
        String requestId = run.id + "/" + (commandId == null ? kind : commandId) + "/" + q.id();
        // Keyed by run and question, so one run's jobs spread over all partitions and evaluator replicas.
        dispatcher.dispatch(run.id, requestId, commandId, kind, Topics.EVALUATION_REQUESTS, run.id + ":" + q.id(),
                codec.encode(request(valid, run, requestId, job)), true);
    }

    /** Backbone and judge calls share one seed per run, so the same upstream call is the same request (cached). */
    private static EvaluationRequest request(ValidRun valid, RunEntity run, String requestId, EvaluationJob job) {
        return new EvaluationRequest(requestId, run.id, Seeds.derive(valid.seed(), "backbone"), valid.mas(),
                valid.models(), job);
    }

    private void toSampler(RunEntity run, String requestId, String commandId, String kind, SamplerCommand command,
                           boolean awaitsReply) {
        // Keyed by run: one partition, so a pool is registered and cases remembered before later draws.
        dispatcher.dispatch(run.id, requestId, commandId, kind, Topics.MINIBATCH_REQUESTS, run.id,
                codec.encode(command), awaitsReply);
    }

    private EvaluationOutcome outcome(String reply) {
        return codec.decode(reply, EvaluationOutcome.class);
    }

    private static List<Question> questions(ValidRun valid, List<String> ids) {
        return ids.stream().map(id -> question(valid, id)).toList();
    }

    private static Question question(ValidRun valid, String id) {
        return valid.pool().stream().filter(q -> q.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("question " + id + " is not in the pool"));
    }

    private static Preference preference(Judgements.Preference p) {
        return Preference.valueOf(p.name());
    }
}
