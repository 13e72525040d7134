package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.dataset.DatasetSplit;
import ai.maspo.orchestrator.dataset.DatasetStore;
import ai.maspo.orchestrator.domain.InvalidRunSpecException;
import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.domain.RunSpecValidator;
import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.RunCostEntity;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.search.HistoryEntry;
import ai.maspo.orchestrator.search.SearchCommand;
import ai.maspo.orchestrator.search.SearchEngine;
import ai.maspo.orchestrator.search.SearchEvent;
import ai.maspo.orchestrator.search.SearchProblem;
import ai.maspo.orchestrator.search.SearchState;
import ai.maspo.orchestrator.security.Caller;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.Minibatch;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.Usage;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The life of a run. The MASPO search engine decides what to do; this service persists its state after every
 * transition, turns its commands into jobs ({@link SearchDispatch}) and the answers that come back over Kafka
 * into its events. Each answer is applied in one transaction that locks the run and records the answer once
 * (repeats are recognised by request id), so redelivery and restarts change nothing. When the search finishes,
 * the seed and the optimized prompts are measured on the test set.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    private final SearchDispatch dispatch;
    private final DatasetStore datasets;
    private final ObjectMapper mapper;
    private final WireCodec codec;

    RunService(SearchDispatch dispatch, DatasetStore datasets, ObjectMapper mapper, Validator validator) {
        this.dispatch = dispatch;
        this.datasets = datasets;
        this.mapper = mapper;
        this.codec = new WireCodec(mapper, validator);
    }

    /** A run owned by {@code caller}; a dataset it names must be one the caller sees. */
    @Transactional
    public RunView submit(RunSpec submitted, Caller caller) {
        RunSpec spec = withDatasetQuestions(submitted, caller);
        ValidRun valid = RunSpecValidator.validate(spec);
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID().toString();
        run.name = spec.name() == null ? "run" : spec.name();
        run.owner = caller.owner();
        run.status = RunStatus.RUNNING;
        run.phase = RunPhase.SEARCHING;
        run.spec = codec.encode(spec);
        run.mas = codec.encode(valid.mas());
        run.models = codec.encode(valid.models());
        run.bestPrompts = codec.encode(valid.seedPrompts());
        run.createdAt = run.updatedAt = Instant.now();
        run.persist();
        dispatch.registerPool(run, valid);
        advance(run, valid, SearchEngine.start(SearchProblem.of(valid.mas(), valid.effective())));
        LOG.infof("run %s (%s, %s) submitted: %d agents, pool %d, test %d", run.id, run.name,
                valid.strategy().wireName(), valid.mas().agents().size(), valid.pool().size(), valid.test().size());
        return view(run);
    }

    /**
     * A spec that names an imported dataset gets its pool and test split as inline questions, so the stored spec
     * is self-contained and later changes to the dataset cannot change a run.
     */
    private RunSpec withDatasetQuestions(RunSpec spec, Caller caller) {
        if (spec == null || spec.data() == null || spec.data().datasetId() == null) {
            return spec;
        }
        if (spec.data().pool() != null || spec.data().test() != null) {
            throw new InvalidRunSpecException(List.of(new FieldError("data.datasetId",
                    "give either a dataset id or inline pool and test questions, not both")));
        }
        // Another owner's dataset reads as missing, as it does at GET /api/v1/datasets/{id}.
        if (datasets.find(spec.data().datasetId()).filter(d -> caller.sees(d.owner())).isEmpty()) {
            throw new InvalidRunSpecException(List.of(new FieldError("data.datasetId",
                    "no dataset with id '" + spec.data().datasetId() + "'")));
        }
        java.util.function.Function<DatasetSplit, List<RunSpec.QuestionSpec>> split = s ->
                datasets.items(spec.data().datasetId(), s).stream()
                        .map(i -> new RunSpec.QuestionSpec(i.id(), i.text(), i.reference(), i.testSpec())).toList();
        return new RunSpec(spec.name(), spec.mas(), spec.task(),
                new RunSpec.Data(split.apply(DatasetSplit.POOL), split.apply(DatasetSplit.TEST), null),
                spec.models(), spec.search(), spec.budget());
    }

    @Transactional
    public void onMinibatch(Minibatch minibatch) {
        RunEntity run = lockedActiveRun(minibatch.runId());
        DispatchEntity answered = answer(run, minibatch.requestId());
        if (answered == null) {
            return;
        }
        complete(answered, codec.encode(minibatch));
        apply(run, valid(run), new SearchEvent.MinibatchDrawn(answered.commandId,
                minibatch.questions().stream().map(q -> q.id()).toList(), minibatch.injectedQuestionIds()));
    }

    @Transactional
    public void onResult(EvaluationResult result) {
        RunEntity run = lockedActiveRun(result.runId());
        DispatchEntity answered = answer(run, result.requestId());
        if (answered == null) {
            return;
        }
        addCost(run.id, result.usage());
        ValidRun valid = valid(run);
        if (result.status() == ResultStatus.FAILED) {
            answered.status = DispatchEntity.Status.FAILED;
            answered.error = result.error();
            answered.completedAt = Instant.now();
            if (answered.commandId == null) {
                fail(run, "test job " + result.requestId() + " failed: " + result.error());
            } else {
                apply(run, valid, new SearchEvent.CommandFailed(answered.commandId, result.error()));
            }
            return;
        }
        complete(answered, codec.encode(result.outcome()));
        if (answered.commandId == null) {
            finishTestingIfDone(run);
        } else {
            dispatch.eventWhenComplete(run, answered).ifPresent(event -> apply(run, valid, event));
        }
        if (run.phase == RunPhase.SEARCHING && run.status == RunStatus.RUNNING) {
            budgetExceeded(run, valid).ifPresent(reason -> apply(run, valid, new SearchEvent.BudgetExhausted(reason)));
        }
    }

    /** {@code valid} is the run's spec, validated once per answer rather than once per step of its handling. */
    private void apply(RunEntity run, ValidRun valid, SearchEvent event) {
        if (run.phase != RunPhase.SEARCHING) {
            return;
        }
        advance(run, valid, SearchEngine.apply(state(run), event));
    }

    /** Stores the engine's new state and carries out its commands; the agent's best prompts are visible at once. */
    private void advance(RunEntity run, ValidRun valid, SearchEngine.Transition transition) {
        run.searchState = codec.encode(transition.state());
        Map<String, String> best = new LinkedHashMap<>(valid.seedPrompts());
        best.putAll(SearchEngine.bestPrompts(transition.state()));
        run.bestPrompts = codec.encode(best);
        for (SearchCommand command : transition.commands()) {
            if (command instanceof SearchCommand.Finish finish) {
                run.finishReason = finish.reason();
                run.phase = RunPhase.TESTING;
                DispatchEntity.cancelPendingSearchJobs(run.id);
                Map<String, String> optimized = new LinkedHashMap<>(valid.seedPrompts());
                optimized.putAll(finish.bestPrompts());
                run.bestPrompts = codec.encode(optimized);
                dispatch.testAccuracy(run, valid, optimized);
                LOG.infof("run %s: search finished (%s), measuring test accuracy", run.id, finish.reason());
            } else {
                dispatch.send(run, valid, transition.state(), command);
            }
        }
        touch(run);
    }

    private void finishTestingIfDone(RunEntity run) {
        if (DispatchEntity.count("runId = ?1 and kind in ?2 and status = ?3", run.id,
                List.of(SearchDispatch.TEST_SEED, SearchDispatch.TEST_BEST), DispatchEntity.Status.PENDING) > 0) {
            return;
        }
        run.seedAccuracy = dispatch.accuracy(run.id, SearchDispatch.TEST_SEED);
        run.optimizedAccuracy = dispatch.accuracy(run.id, SearchDispatch.TEST_BEST);
        run.phase = RunPhase.DONE;
        run.status = RunStatus.COMPLETED;
        run.finishedAt = Instant.now();
        touch(run);
        LOG.infof("run %s completed: test accuracy %.3f (seed) -> %.3f (optimized)", run.id, run.seedAccuracy,
                run.optimizedAccuracy);
    }

    private java.util.Optional<String> budgetExceeded(RunEntity run, ValidRun valid) {
        RunSpec.Budget budget = valid.spec().budget();
        if (budget == null) {
            return java.util.Optional.empty();
        }
        List<RunCostEntity> costs = RunCostEntity.ofRun(run.id);
        long calls = costs.stream().mapToLong(c -> c.calls).sum();
        long tokens = costs.stream().mapToLong(c -> c.promptTokens + c.completionTokens).sum();
        if (budget.maxLlmCalls() != null && calls >= budget.maxLlmCalls()) {
            return java.util.Optional.of("budget: " + calls + " LLM calls reached the ceiling of " + budget.maxLlmCalls());
        }
        if (budget.maxTokens() != null && tokens >= budget.maxTokens()) {
            return java.util.Optional.of("budget: " + tokens + " tokens reached the ceiling of " + budget.maxTokens());
        }
        Duration elapsed = Duration.between(run.createdAt, Instant.now());
        if (budget.maxWallSeconds() != null && elapsed.toSeconds() >= budget.maxWallSeconds()) {
            return java.util.Optional.of("budget: " + elapsed.toSeconds() + " s reached the ceiling of "
                    + budget.maxWallSeconds() + " s");
        }
        return java.util.Optional.empty();
    }

    public RunView find(String id) {
        return view(load(id));
    }

    /** Newest first; only {@code owner}'s runs, or every run when {@code owner} is null. */
    public List<RunView> list(String owner) {
        List<RunEntity> runs = owner == null ? RunEntity.list("order by createdAt desc")
                : RunEntity.list("owner = ?1 order by createdAt desc", owner);
        return runs.stream().map(this::view).toList();
    }

    /** The search history: per agent and layer the beams, candidates and scores, rejections, refreshes. */
    public List<HistoryEntry> history(String id) {
        RunEntity run = load(id);
        return run.searchState == null ? List.of() : state(run).history();
    }

    private RunEntity load(String id) {
        RunEntity run = RunEntity.findById(id);
        if (run == null) {
            throw new RunNotFoundException(id);
        }
        return run;
    }

    private void addCost(String runId, List<Usage> usage) {
        for (Usage u : usage) {
            RunCostEntity cost = RunCostEntity.findById(new RunCostEntity.Key(runId, u.role().name()));
            if (cost == null) {
                cost = new RunCostEntity();
                cost.key = new RunCostEntity.Key(runId, u.role().name());
                cost.persist();
            }
            cost.calls += u.calls();
            cost.cachedCalls += u.cachedCalls();
            cost.promptTokens += u.promptTokens();
            cost.completionTokens += u.completionTokens();
            cost.millis += u.millis();
        }
    }

    /** The run, locked for this transaction; null if unknown or already finished (a late or repeated answer). */
    private RunEntity lockedActiveRun(String runId) {
        RunEntity run = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        return run == null || run.status.isFinal() ? null : run;
    }

    /** The dispatch this answer is for, if it still waits for one. */
    private DispatchEntity answer(RunEntity run, String requestId) {
        if (run == null) {
            return null;
        }
        DispatchEntity d = DispatchEntity.findById(requestId);
        if (d == null || !d.runId.equals(run.id) || d.status != DispatchEntity.Status.PENDING) {
            LOG.debugf("ignoring an answer to %s: unknown or already answered", requestId);
            return null;
        }
        return d;
    }

    private static void complete(DispatchEntity d, String reply) {
        d.status = DispatchEntity.Status.SUCCEEDED;
        d.reply = reply;
        d.completedAt = Instant.now();
    }

    private static void fail(RunEntity run, String error) {
        run.status = RunStatus.FAILED;
        run.error = error;
        run.finishedAt = Instant.now();
        touch(run);
        LOG.warnf("run %s failed: %s", run.id, error);
    }

    private static void touch(RunEntity run) {
        run.updatedAt = Instant.now();
    }

    ValidRun valid(RunEntity run) {
        return RunSpecValidator.validate(codec.decode(run.spec, RunSpec.class));
    }

    private SearchState state(RunEntity run) {
        return read(run.searchState, new TypeReference<>() {
        });
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }

    RunView view(RunEntity run) {
        Map<String, RunView.Progress> progress = new LinkedHashMap<>();
        List<Object[]> rows = DispatchEntity.getEntityManager().createQuery(
                        "select d.kind, d.status, count(d) from DispatchEntity d where d.runId = ?1 and d.awaitsReply = true"
                                + " group by d.kind, d.status", Object[].class)
                .setParameter(1, run.id).getResultList();
        for (Object[] row : rows) {
            RunView.Progress p = progress.getOrDefault((String) row[0], new RunView.Progress(0, 0, 0));
            long n = (Long) row[2];
            DispatchEntity.Status status = (DispatchEntity.Status) row[1];
            progress.put((String) row[0], new RunView.Progress(
                    p.done() + (status == DispatchEntity.Status.SUCCEEDED ? n : 0),
                    p.failed() + (status == DispatchEntity.Status.FAILED ? n : 0), p.total() + n));
        }
        List<RunView.Cost> cost = RunCostEntity.ofRun(run.id).stream()
                .map(c -> new RunView.Cost(c.key.role(), c.calls, c.cachedCalls, c.promptTokens, c.completionTokens,
                        c.millis))
                .toList();
        return new RunView(run.id, run.name, run.owner, run.status, run.phase, valid(run).strategy().wireName(), progress,
                read(run.bestPrompts, new TypeReference<>() {
                }), run.seedAccuracy, run.optimizedAccuracy, cost, run.finishReason, run.error, run.createdAt,
                run.updatedAt, run.finishedAt);
    }
}
