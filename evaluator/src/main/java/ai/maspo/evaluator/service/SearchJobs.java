package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.AgentRole;
import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.evaluator.prompting.Choice;
import ai.maspo.evaluator.prompting.ComparisonKind;
import ai.maspo.evaluator.prompting.JudgeVerdictParser;
import ai.maspo.evaluator.prompting.MisalignmentTrace;
import ai.maspo.evaluator.prompting.PairwiseJudgePrompt;
import ai.maspo.evaluator.prompting.ProposalParser;
import ai.maspo.evaluator.prompting.ProposalPrompt;
import ai.maspo.evaluator.prompting.ProposalTrace;
import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.BaselineJob;
import ai.maspo.protocol.BaselineTraces;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.Judgements.Preference;
import ai.maspo.protocol.Judgements;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.Proposal;
import ai.maspo.protocol.ProposeJob;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.QuestionTrace;
import ai.maspo.protocol.ScoreCandidateJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The search's jobs: baseline traces per beam node, optimizer proposals, and pairwise scoring of a candidate. */
@ApplicationScoped
public class SearchJobs {

    private final MasExecutor mas;
    private final LlmGateway llm;
    private final MeterRegistry registry;

    SearchJobs(MasExecutor mas, LlmGateway llm, MeterRegistry registry) {
        this.mas = mas;
        this.llm = llm;
        this.registry = registry;
    }

    /** Nodes run one after the other: the first pays for the shared upstream, the others find it in the cache. */
    public BaselineTraces baseline(EvaluationRequest request, BaselineJob job, UsageMeter meter) {
        Map<String, List<QuestionTrace>> traces = new TreeMap<>();
        for (var node : new TreeMap<>(job.nodePrompts()).entrySet()) {
            traces.put(node.getKey(), mas.run(request.mas(), with(job.prompts(), job.agentId(), node.getValue()),
                    job.questions(), request.models(), request.seed(), meter));
        }
        return new BaselineTraces(traces);
    }

    public Proposal propose(EvaluationRequest request, ProposeJob job, UsageMeter meter) {
        AgentDefinition agent = agent(request, job.agentId());
        List<ProposalTrace> traces = job.traces().stream()
                .map(t -> new ProposalTrace(t.question(), t.context(), t.output())).toList();
        List<MisalignmentTrace> cases = job.misalignmentCases().stream()
                .map(t -> new MisalignmentTrace(new ProposalTrace(t.question(), t.context(), t.output()),
                        t.downstreamFailure(), t.passedOn(), t.successorOutputs().stream().map(SearchJobs::downstream).toList(),
                        t.finalOutput() == null ? null : downstream(t.finalOutput())))
                .toList();
        ChatPrompt prompt = ProposalPrompt.build(new ProposalPrompt.Request(job.currentPrompt(),
                new AgentRole(agent.role(), agent.description()), request.mas().task().requirement(), traces, cases));
        String reply = llm.complete(ModelRole.OPTIMIZER, request.models().optimizer(), prompt, job.seed(), meter).text();
        return new Proposal(reply, ProposalParser.parse(reply).orElse(null));
    }

    /**
     * Runs the system with the candidate and with the parent (upstream of the agent comes from the cache), then
     * asks the judge about every judged agent's outputs in both orders. Identical outputs are a tie without asking.
     */
    public Judgements score(EvaluationRequest request, ScoreCandidateJob job, UsageMeter meter) {
        List<QuestionTrace> candidate = mas.run(request.mas(), with(job.prompts(), job.agentId(), job.candidatePrompt()),
                job.questions(), request.models(), request.seed(), meter);
        List<QuestionTrace> parent = mas.run(request.mas(), with(job.prompts(), job.agentId(), job.parentPrompt()),
                job.questions(), request.models(), request.seed(), meter);
        AgentRole optimized = role(agent(request, job.agentId()));
        try (ExecutorService pool = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor())) {
            List<Future<Judgements.Verdict>> verdicts = new ArrayList<>();
            for (int i = 0; i < job.questions().size(); i++) {
                Question question = job.questions().get(i);
                Map<String, String> candidateOutputs = outputs(candidate.get(i));
                Map<String, String> parentOutputs = outputs(parent.get(i));
                for (String judged : job.judgedAgents()) {
                    ComparisonKind kind = judged.equals(job.agentId()) ? ComparisonKind.LOCAL
                            : judged.equals(request.mas().terminal()) ? ComparisonKind.GLOBAL : ComparisonKind.LOOKAHEAD;
                    String c = candidateOutputs.get(judged);
                    String p = parentOutputs.get(judged);
                    verdicts.add(pool.submit(() -> {
                        if (c.equals(p)) {
                            return new Judgements.Verdict(question.id(), judged, Preference.NONE, Preference.NONE);
                        }
                        AgentRole judgedRole = role(agent(request, judged));
                        Preference first = judge(request, kind, optimized, judgedRole, question, c, p, true, meter);
                        Preference second = judge(request, kind, optimized, judgedRole, question, p, c, false, meter);
                        return new Judgements.Verdict(question.id(), judged, first, second);
                    }));
                }
            }
            List<Judgements.Verdict> result = new ArrayList<>(verdicts.size());
            for (Future<Judgements.Verdict> f : verdicts) {
                result.add(MasExecutor.await(f));
            }
            return new Judgements(result);
        }
    }

    /**
     * One judge comparison; an unparseable answer is asked once more with another seed, then counts as no
     * preference (never as a win).
     */
    private Preference judge(EvaluationRequest request, ComparisonKind kind, AgentRole optimized, AgentRole judged,
                             Question question, String outputA, String outputB, boolean candidateIsA, UsageMeter meter) {
        ChatPrompt prompt = PairwiseJudgePrompt.build(new PairwiseJudgePrompt.Request(kind, optimized, judged,
                request.mas().task().requirement(), question.text(), outputA, outputB));
        for (int attempt = 0; attempt < 2; attempt++) {
            String reply = llm.complete(ModelRole.JUDGE, request.models().judge(), prompt, request.seed() + attempt, meter)
                    .text();
            var choice = JudgeVerdictParser.parse(reply);
            // a steady share of unparsed verdicts means the judge model and the parser disagree: alerted on
            registry.counter("maspo.judge.verdicts", "outcome", choice.isPresent() ? "parsed" : "unparsed").increment();
            if (choice.isPresent()) {
                return (choice.get() == Choice.A) == candidateIsA ? Preference.CANDIDATE : Preference.PARENT;
            }
        }
        return Preference.NONE;
    }

    private static MisalignmentTrace.DownstreamOutput downstream(ProposeJob.AgentOutput output) {
        return new MisalignmentTrace.DownstreamOutput(output.agentId(), output.output());
    }

    private static Map<String, String> outputs(QuestionTrace trace) {
        Map<String, String> outputs = new HashMap<>();
        for (AgentTrace t : trace.agents()) {
            outputs.put(t.agentId(), t.output());
        }
        return outputs;
    }

    private static Map<String, String> with(Map<String, String> prompts, String agentId, String prompt) {
        Map<String, String> merged = new HashMap<>(prompts);
        merged.put(agentId, prompt);
        return merged;
    }

    private static AgentDefinition agent(EvaluationRequest request, String id) {
        return request.mas().agents().stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("job names unknown agent " + id));
    }

    private static AgentRole role(AgentDefinition agent) {
        return new AgentRole(agent.role(), agent.description());
    }
}
