package ai.maspo.evaluator.service;

import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.evaluator.prompting.CompressionPrompt;
import ai.maspo.evaluator.prompting.PromptTemplate;
import ai.maspo.evaluator.prompting.ReplyText;
import ai.maspo.evaluator.tracing.EvaluatorTracing;
import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentTrace;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelRoles;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.QuestionTrace;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Executes the multi-agent system on one question: level by level, the agents of a level in parallel. Each
 * non-terminal output is compressed to a short summary by one more backbone call, and successors read those
 * summaries as their {@code {context}}; the terminal output is never compressed (nobody reads a summary of it).
 */
@ApplicationScoped
public class MasExecutor {

    private final LlmGateway llm;
    private final CorrectnessService checker;
    private final EvaluatorTracing tracing;

    MasExecutor(LlmGateway llm, CorrectnessService checker, EvaluatorTracing tracing) {
        this.llm = llm;
        this.checker = checker;
        this.tracing = tracing;
    }

    public List<QuestionTrace> run(MasDefinition mas, Map<String, String> prompts, List<Question> questions,
                                   ModelRoles models, long seed, UsageMeter meter) {
        try (ExecutorService questionsPool = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor())) {
            List<Future<QuestionTrace>> futures = questions.stream()
                    .map(q -> questionsPool.submit(() -> runOne(mas, prompts, q, models, seed, meter)))
                    .toList();
            List<QuestionTrace> traces = new ArrayList<>(futures.size());
            for (Future<QuestionTrace> f : futures) {
                traces.add(await(f));
            }
            return traces;
        }
    }

    private QuestionTrace runOne(MasDefinition mas, Map<String, String> prompts, Question question,
                                 ModelRoles models, long seed, UsageMeter meter) {
        Map<String, AgentDefinition> agents = mas.agents().stream()
                .collect(Collectors.toMap(AgentDefinition::id, Function.identity()));
        Map<String, List<String>> predecessors = new HashMap<>();
        for (Edge e : mas.edges()) {
            predecessors.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        Map<String, AgentTrace> done = new ConcurrentHashMap<>();
        try (ExecutorService levelPool = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor())) {
            for (List<String> level : mas.levels()) {
                List<Future<AgentTrace>> running = level.stream()
                        .map(id -> levelPool.submit(() -> tracing.agent(id, () -> runAgent(mas, agents.get(id),
                                predecessors.getOrDefault(id, List.of()), done, prompts, question, models.agent(), seed, meter))))
                        .toList();
                for (Future<AgentTrace> f : running) {
                    AgentTrace trace = await(f);
                    done.put(trace.agentId(), trace);
                }
            }
        }
        List<AgentTrace> ordered = mas.levels().stream().flatMap(List::stream).map(done::get).toList();
        String terminalOutput = done.get(mas.terminal()).output();
        CorrectnessService.Verdict verdict = checker.check(mas.task(), question, terminalOutput, models.judge(), seed,
                meter);
        return new QuestionTrace(question.id(), ordered, verdict.answer(), verdict.correct());
    }

    private AgentTrace runAgent(MasDefinition mas, AgentDefinition agent, List<String> preds, Map<String, AgentTrace> done,
                                Map<String, String> prompts, Question question, ModelSettings agentModel, long seed,
                                UsageMeter meter) {
        String context = preds.stream().map(done::get)
                .map(t -> "[" + t.agentId() + "]: " + t.shortOutput())
                .collect(Collectors.joining("\n\n"));
        String output;
        String reasoning = null;
        if (agent.type() == AgentType.MAJORITY_VOTE) {
            output = majorityVote(mas, preds.stream().map(done::get).toList());
        } else {
            String template = prompts.getOrDefault(agent.id(), agent.promptTemplate());
            String prompt = PromptTemplate.render(template, Map.of("question", question.text(), "context", context));
            LlmReply reply = llm.complete(ModelRole.AGENT, agentModel, new ChatPrompt("", prompt), seed, meter);
            output = reply.text();
            reasoning = reply.reasoning();
        }
        String shortOutput = agent.id().equals(mas.terminal()) ? output : compressed(mas, output, agentModel, seed, meter);
        return new AgentTrace(agent.id(), context, output, shortOutput, reasoning);
    }

    /**
     * The summary successors read. A refusal has nothing to summarize and is passed on as it is; a summary that is
     * itself a refusal is no summary, so the successor reads the whole output instead.
     */
    private String compressed(MasDefinition mas, String output, ModelSettings agentModel, long seed, UsageMeter meter) {
        if (ReplyText.isRefusal(output)) {
            return output;
        }
        String summary = llm.complete(ModelRole.AGENT, agentModel, CompressionPrompt.build(output, mas.task().type()),
                seed, meter).text();
        return ReplyText.isRefusal(summary) ? output : summary;
    }

    /** The most frequent answer among the predecessors' outputs; ties go to the answer seen first. */
    private String majorityVote(MasDefinition mas, List<AgentTrace> inputs) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (AgentTrace t : inputs) {
            String answer = checker.extract(mas.task(), t.output());
            if (answer != null) {
                votes.merge(answer, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
                .map(e -> "The answer is " + e.getKey() + ".")
                .orElse("No answer.");
    }

    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
