package ai.maspo.orchestrator.domain;

import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.search.Guards;
import ai.maspo.orchestrator.search.JointWeights;
import ai.maspo.orchestrator.search.SearchSettings;
import ai.maspo.orchestrator.search.Strategy;
import ai.maspo.orchestrator.search.TemplateGrammar;
import ai.maspo.protocol.AgentDefinition;
import ai.maspo.protocol.AgentType;
import ai.maspo.protocol.AnswerCheck;
import ai.maspo.protocol.AnswerExtraction;
import ai.maspo.protocol.Edge;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.ModelRoles;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.TaskDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a run spec completely before anything is created, collecting every problem with the JSON path of the
 * field at fault, and resolves what the services need (graph levels, terminal, defaults).
 */
public final class RunSpecValidator {

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    static final long DEFAULT_SEED = 42;

    private final List<FieldError> errors = new ArrayList<>();

    private RunSpecValidator() {
    }

    public static ValidRun validate(RunSpec spec) {
        return new RunSpecValidator().check(spec);
    }

    private ValidRun check(RunSpec spec) {
        if (spec == null) {
            throw new InvalidRunSpecException(List.of(new FieldError("", "a run spec (JSON object) is required")));
        }
        if (spec.name() != null && spec.name().length() > 200) {
            error("name", "must be at most 200 characters");
        }
        MasDefinition mas = mas(spec);
        List<Question> pool = questions(spec.data() == null ? null : spec.data().pool(), "data.pool", false);
        List<Question> test = questions(spec.data() == null ? null : spec.data().test(), "data.test", true);
        disjoint(pool, test);
        ModelRoles models = models(spec.models());
        RunSpec.Search search = spec.search() == null
                ? new RunSpec.Search(null, null, null, null, null, null, null, null, null, null, null) : spec.search();
        String strategyName = search.strategy() == null ? Strategy.MASPO.wireName() : search.strategy();
        Strategy strategy = Strategy.fromWireName(strategyName).orElse(null);
        if (strategy == null) {
            error("search.strategy", "unknown strategy '" + strategyName + "' (known: "
                    + Arrays.stream(Strategy.values()).map(Strategy::wireName).toList() + ")");
        }
        SearchSettings defaults = SearchSettings.defaults(DEFAULT_SEED);
        SearchSettings settings = new SearchSettings(
                or(search.beamWidth(), defaults.beamWidth()), or(search.candidatesPerNode(), defaults.candidatesPerNode()),
                or(search.minibatchSize(), defaults.minibatchSize()), or(search.layersPerAgent(), defaults.layersPerAgent()),
                or(search.layersPerTurn(), defaults.layersPerTurn()), weights(search.weights(), defaults.weights()),
                or(search.misalignmentCasesKept(), defaults.misalignmentCasesKept()),
                or(search.maxInjected(), defaults.maxInjected()), or(search.seed(), defaults.seed()));
        if (search.guards() != null && strategy != Strategy.MASPO_GUARDED) {
            error("search.guards", "applies only to strategy " + Strategy.MASPO_GUARDED.wireName()
                    + ", not to " + strategyName);
        }
        if (strategy == Strategy.MASPO_GUARDED) {
            Guards defaultGuards = Guards.defaults(settings.minibatchSize(), pool == null ? Integer.MAX_VALUE : pool.size());
            settings = settings.withGuards(search.guards() == null ? defaultGuards
                    : guards(search.guards(), defaultGuards));
        }
        settings.validate(pool == null ? Integer.MAX_VALUE : pool.size())
                .forEach(e -> error("search." + e.field(), e.message()));
        budget(spec.budget());
        if (!errors.isEmpty()) {
            throw new InvalidRunSpecException(errors);
        }
        Map<String, String> seedPrompts = new LinkedHashMap<>();
        mas.agents().stream().filter(a -> a.type() == AgentType.LLM)
                .forEach(a -> seedPrompts.put(a.id(), a.promptTemplate()));
        return new ValidRun(spec, mas, models, seedPrompts, pool, test, strategy, settings, strategy.apply(settings));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** Null components are refused at the edge; a stored spec always has all three. */
    private static Guards guards(RunSpec.Guards given, Guards fallback) {
        return new Guards(or(given.boundAcceptance(), fallback.boundAcceptance()),
                or(given.confidence(), fallback.confidence()), or(given.doNoHarm(), fallback.doNoHarm()),
                or(given.adaptiveMinibatch(), fallback.adaptiveMinibatch()),
                or(given.maxMinibatchSize(), fallback.maxMinibatchSize()));
    }

    private static JointWeights weights(RunSpec.Weights weights, JointWeights fallback) {
        return weights == null ? fallback : new JointWeights(weights.local(), weights.lookahead(), weights.global());
    }

    private MasDefinition mas(RunSpec submitted) {
        TaskDefinition task = task(submitted.task());
        RunSpec spec = withTopology(submitted);
        if (spec.mas() == null || spec.mas().agents() == null || spec.mas().agents().isEmpty()) {
            error("mas.agents", "at least one agent is required");
            return null;
        }
        List<AgentDefinition> agents = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < spec.mas().agents().size(); i++) {
            RunSpec.Agent a = spec.mas().agents().get(i);
            String path = "mas.agents[" + i + "]";
            if (a == null || a.id() == null || !AGENT_ID.matcher(a.id()).matches()) {
                error(path + ".id", "is required: 1 to 100 letters, digits, '_', '.' or '-'");
                continue;
            }
            if (!ids.add(a.id())) {
                error(path + ".id", "duplicates agent '" + a.id() + "'");
                continue;
            }
            AgentType type = a.type() == null ? AgentType.LLM : a.type();
            // Literal braces of the seed prompt (LaTeX) are escaped into the template grammar.
            String template = a.prompt() == null ? null : TemplateGrammar.normalise(a.prompt()).template();
            agents.add(new AgentDefinition(a.id(), a.role() == null ? a.id() : a.role(),
                    a.description() == null ? "" : a.description(), template, type));
        }
        List<RunSpec.EdgeSpec> edgeSpecs = spec.mas().edges() == null ? List.of() : spec.mas().edges();
        List<Edge> edges = new ArrayList<>();
        Set<String> seenEdges = new HashSet<>();
        for (int i = 0; i < edgeSpecs.size(); i++) {
            RunSpec.EdgeSpec e = edgeSpecs.get(i);
            String path = "mas.edges[" + i + "]";
            if (e == null || !ids.contains(e.from())) {
                error(path + ".from", "unknown agent '" + (e == null ? null : e.from()) + "'");
            } else if (!ids.contains(e.to())) {
                error(path + ".to", "unknown agent '" + e.to() + "'");
            } else if (e.from().equals(e.to())) {
                error(path, "an agent cannot feed itself");
            } else if (!seenEdges.add(e.from() + "\u0000" + e.to())) {
                error(path, "duplicates the edge " + e.from() + " -> " + e.to());
            } else {
                edges.add(new Edge(e.from(), e.to()));
            }
        }
        MasGraph graph = new MasGraph(agents.stream().map(AgentDefinition::id).toList(),
                edges.stream().map(e -> (Map.Entry<String, String>) new AbstractMap.SimpleEntry<>(e.from(), e.to())).toList());
        var levels = graph.levels();
        if (levels.isEmpty()) {
            error("mas.edges", "form a cycle through " + graph.unplaceable());
        }
        List<String> terminals = graph.terminals();
        if (levels.isPresent() && terminals.size() != 1) {
            error("mas.edges", "exactly one terminal agent (without successors) is required, found " + terminals);
        }
        for (int i = 0; i < spec.mas().agents().size(); i++) {
            RunSpec.Agent a = spec.mas().agents().get(i);
            if (a != null && ids.contains(a.id())) {
                agentPrompt(a, "mas.agents[" + i + "]", graph.predecessors(a.id()).isEmpty());
            }
        }
        if (!errors.isEmpty() || task == null) {
            return null;
        }
        return new MasDefinition(agents, edges, levels.orElseThrow(), terminals.getFirst(), task);
    }

    /** A built-in topology becomes its agents and edges; giving both is ambiguous and refused. */
    private RunSpec withTopology(RunSpec spec) {
        RunSpec.Mas mas = spec.mas();
        if (mas == null || mas.topology() == null) {
            return spec;
        }
        if (mas.agents() != null || mas.edges() != null) {
            error("mas.topology", "give either a built-in topology or agents and edges, not both");
            return spec;
        }
        if (mas.size() != null && (mas.size() < 1 || mas.size() > 10)) {
            error("mas.size", "must be between 1 and 10");
            return spec;
        }
        var expanded = BuiltInTopologies.expand(mas.topology(), mas.size(), mas.prompts());
        if (expanded.isEmpty()) {
            error("mas.topology", "unknown topology '" + mas.topology() + "' (known: " + BuiltInTopologies.NAMES + ")");
            return spec;
        }
        if (mas.prompts() != null) {
            Set<String> ids = new HashSet<>();
            expanded.get().agents().forEach(a -> ids.add(a.id()));
            mas.prompts().keySet().stream().filter(id -> !ids.contains(id)).findFirst().ifPresent(id ->
                    error("mas.prompts." + id, "no agent '" + id + "' in topology " + mas.topology() + " (agents: " + ids + ")"));
        }
        return new RunSpec(spec.name(), expanded.get(), spec.task(), spec.data(), spec.models(), spec.search(), spec.budget());
    }

    private void agentPrompt(RunSpec.Agent a, String path, boolean isSource) {
        if (a.type() == AgentType.MAJORITY_VOTE) {
            if (isSource) {
                error(path + ".type", "a majority-vote agent needs predecessors to vote over");
            }
            return;
        }
        if (a.prompt() == null || a.prompt().isBlank()) {
            error(path + ".prompt", "is required for an LLM agent");
            return;
        }
        TemplateGrammar.Normalised template = TemplateGrammar.normalise(a.prompt());
        Set<String> found = template.placeholders();
        if (!found.contains(TemplateGrammar.QUESTION)) {
            error(path + ".prompt", "must contain the placeholder {question}");
        }
        template.unknown().stream().findFirst().ifPresent(p ->
                error(path + ".prompt", "unknown placeholder {" + p + "} (allowed: {question}, {context}; "
                        + "write literal braces as {{ and }})"));
        if (isSource && found.contains(TemplateGrammar.CONTEXT)) {
            error(path + ".prompt", "uses {context} but the agent has no predecessors");
        }
        if (!isSource && !found.contains(TemplateGrammar.CONTEXT)) {
            error(path + ".prompt", "must contain {context}: the agent has predecessors whose outputs it reads");
        }
    }

    private TaskDefinition task(RunSpec.Task task) {
        if (task == null || task.type() == null) {
            error("task.type", "is required (math, choice, code or open)");
            return null;
        }
        AnswerExtraction extraction = task.extraction() != null ? task.extraction() : switch (task.type()) {
            case MATH -> AnswerExtraction.ANSWER_TAG;
            case CHOICE -> AnswerExtraction.CHOICE_LETTER;
            case CODE -> AnswerExtraction.CODE_BLOCK;
            case OPEN -> AnswerExtraction.LAST_LINE;
        };
        AnswerCheck checker = task.checker() != null ? task.checker() : switch (task.type()) {
            case MATH -> AnswerCheck.EXACT;
            case CHOICE -> AnswerCheck.CHOICE;
            case CODE -> AnswerCheck.UNIT_TESTS;
            case OPEN -> AnswerCheck.LLM_JUDGE;
        };
        String requirement = task.requirement() != null ? task.requirement()
                : "Answer the question correctly; give the final answer in the expected format.";
        return new TaskDefinition(task.type(), extraction.wireName(), requirement, checker.wireName());
    }

    private List<Question> questions(List<RunSpec.QuestionSpec> specs, String path, boolean labelled) {
        if (specs == null || specs.isEmpty()) {
            error(path, "at least one question is required");
            return null;
        }
        // Questions of an imported dataset did not pass the request's constraints: the same bounds apply here.
        if (specs.size() > Limits.QUESTIONS) {
            error(path, "at most " + Limits.QUESTIONS + " questions, was " + specs.size());
            return null;
        }
        List<Question> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            RunSpec.QuestionSpec q = specs.get(i);
            String at = path + "[" + i + "]";
            if (q == null || q.id() == null || q.id().isBlank() || q.id().length() > 200) {
                error(at + ".id", "is required (at most 200 characters)");
            } else if (!ids.add(q.id())) {
                error(at + ".id", "duplicates question '" + q.id() + "'");
            } else if (q.text() == null || q.text().isBlank() || q.text().length() > Limits.QUESTION_TEXT) {
                error(at + ".text", "is required (at most " + Limits.QUESTION_TEXT + " characters)");
            } else if (labelled && isBlank(q.reference()) && isBlank(q.tests())) {
                error(at + ".reference", "is required in the test set (or tests, for code tasks)");
            } else {
                questions.add(new Question(q.id(), q.text(), labelled ? q.reference() : null, q.tests()));
            }
        }
        return questions;
    }

    private void disjoint(List<Question> pool, List<Question> test) {
        if (pool == null || test == null) {
            return;
        }
        Set<String> poolIds = new HashSet<>();
        Set<String> poolTexts = new HashSet<>();
        pool.forEach(q -> {
            poolIds.add(q.id());
            poolTexts.add(q.text().strip());
        });
        for (int i = 0; i < test.size(); i++) {
            Question q = test.get(i);
            if (poolIds.contains(q.id()) || poolTexts.contains(q.text().strip())) {
                error("data.test[" + i + "]", "question '" + q.id() + "' is also in the optimization pool; "
                        + "pool and test set must be disjoint");
                return;
            }
        }
    }

    private ModelRoles models(RunSpec.Models models) {
        if (models == null || models.agent() == null || isBlank(models.agent().model())) {
            error("models.agent.model", "is required");
            return null;
        }
        ModelSettings agent = model(models.agent(), "models.agent", 0.0, null);
        ModelSettings optimizer = model(models.optimizer(), "models.optimizer", 0.7, agent.model());
        ModelSettings judge = model(models.judge(), "models.judge", 0.0, agent.model());
        return new ModelRoles(agent, optimizer, judge);
    }

    private ModelSettings model(RunSpec.ModelSpec spec, String path, double defaultTemperature, String defaultModel) {
        String model = spec == null || isBlank(spec.model()) ? defaultModel : spec.model();
        double temperature = spec == null || spec.temperature() == null ? defaultTemperature : spec.temperature();
        if (temperature < 0 || temperature > 2) {
            error(path + ".temperature", "must be between 0 and 2");
        }
        if (spec == null) {
            return new ModelSettings(model, temperature);
        }
        // The numeric and size bounds of the other parameters are the spec's constraints, checked at the edge.
        List<String> stop = spec.stop() == null ? null : List.copyOf(spec.stop());
        Map<String, JsonNode> extraBody = spec.extraBody() == null ? null : extraBody(spec.extraBody(), path + ".extraBody");
        return new ModelSettings(model, temperature, spec.maxTokens(), spec.topP(), stop,
                Boolean.FALSE.equals(spec.sendSeed()), spec.reasoningEffort(), extraBody);
    }

    /**
     * Further request fields, a small JSON object (its field count and name lengths are the spec's constraints) that
     * cannot replace a field the platform sets.
     */
    private Map<String, JsonNode> extraBody(Map<String, JsonNode> extra, String path) {
        for (Map.Entry<String, JsonNode> field : extra.entrySet()) {
            String key = field.getKey();
            if (ModelSettings.PLATFORM_FIELDS.contains(key)) {
                error(path + "." + key, "is set by the platform and cannot be overridden (platform fields: "
                        + ModelSettings.PLATFORM_FIELDS + "; use this role's maxTokens, topP, stop, sendSeed or reasoningEffort)");
            } else if (depth(field.getValue()) > Limits.EXTRA_DEPTH) {
                error(path + "." + key, "nests deeper than " + Limits.EXTRA_DEPTH + " levels");
            }
        }
        int length = JsonNodeFactory.instance.objectNode().setAll(extra).toString().length();
        if (length > Limits.EXTRA_JSON) {
            error(path, "must be at most " + Limits.EXTRA_JSON + " characters as JSON, was " + length);
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        if (node != null && node.isContainerNode()) {
            for (JsonNode child : node) {
                deepest = Math.max(deepest, depth(child));
            }
            return deepest + 1;
        }
        return 0;
    }

    private void budget(RunSpec.Budget budget) {
        if (budget == null) {
            return;
        }
        if (budget.maxLlmCalls() != null && budget.maxLlmCalls() < 1) {
            error("budget.maxLlmCalls", "must be at least 1");
        }
        if (budget.maxTokens() != null && budget.maxTokens() < 1) {
            error("budget.maxTokens", "must be at least 1");
        }
        if (budget.maxWallSeconds() != null && budget.maxWallSeconds() < 1) {
            error("budget.maxWallSeconds", "must be at least 1");
        }
        if (budget.maxCostUsd() != null && budget.maxCostUsd().signum() <= 0) {
            error("budget.maxCostUsd", "must be greater than 0");
        }
    }

    private void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
