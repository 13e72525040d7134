package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.dataset.DatasetSplit;
import ai.maspo.orchestrator.dataset.DatasetStore;
import ai.maspo.orchestrator.domain.InvalidRunSpecException;
import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.domain.RunSpecValidator;
import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.domain.Prices;
import ai.maspo.orchestrator.domain.WorkCeiling;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.security.Caller;
import ai.maspo.protocol.MasDefinition;
import ai.maspo.protocol.WireCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Runs as the API sees them: submitting one (its spec validated, its pool registered with the sampler, its search
 * started by {@link RunAdvancer}), finding one ({@link RunViews}) and its search history ({@link RunHistory}).
 * Answers from the other services move runs on in {@link ReplyIngest}; {@link RunList} lists runs and
 * {@link RunCancellation} cancels one.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    private final SearchDispatch dispatch;
    private final RunAdvancer advancer;
    private final RunViews views;
    private final RunHistory history;
    private final DatasetStore datasets;
    private final WireCodec codec;
    private final WorkCeiling ceiling;
    private final Prices prices;

    RunService(SearchDispatch dispatch, RunAdvancer advancer, RunViews views, RunHistory history,
               DatasetStore datasets, ObjectMapper mapper, Validator validator, WorkCeiling ceiling, Prices prices) {
        this.ceiling = ceiling;
        this.prices = prices;
        this.dispatch = dispatch;
        this.advancer = advancer;
        this.views = views;
        this.history = history;
        this.datasets = datasets;
        this.codec = new WireCodec(mapper, validator);
    }

    /** A run owned by {@code caller}; a dataset it names must be one the caller sees. */
    @Transactional
    public RunView submit(RunSpec submitted, Caller caller) {
        RunSpec spec = withDatasetQuestions(submitted, caller);
        ValidRun valid = RunSpecValidator.validate(spec);
        ceiling.check(valid);
        prices.checkBudget(valid);
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID().toString();
        run.name = spec.name() == null ? "run" : spec.name();
        run.owner = caller.owner();
        run.strategy = valid.strategy().wireName();
        run.status = RunStatus.RUNNING;
        run.phase = RunPhase.SEARCHING;
        run.spec = codec.encode(spec);
        run.mas = codec.encode(valid.mas());
        run.models = codec.encode(valid.models());
        run.bestPrompts = codec.encode(valid.seedPrompts());
        run.createdAt = run.updatedAt = Instant.now();
        run.persist();
        dispatch.registerPool(run, valid);
        advancer.start(run, valid);
        LOG.infof("run %s (%s, %s) submitted: %d agents, pool %d, test %d", run.id, run.name,
                valid.strategy().wireName(), valid.mas().agents().size(), valid.pool().size(), valid.test().size());
        return views.of(run);
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

    public RunView find(String id) {
        return views.of(load(id));
    }

    /** The multi-agent system as resolved from the spec (a built-in topology's agents and edges spelled out). */
    public MasDefinition mas(String id) {
        return codec.decode(load(id).mas, MasDefinition.class);
    }

    /** The search history: per agent and layer the beams, candidates and scores, rejections, refreshes. */
    public List<HistoryStep> history(String id) {
        return history.of(id);
    }

    private RunEntity load(String id) {
        RunEntity run = RunEntity.findById(id);
        if (run == null) {
            throw new RunNotFoundException(id);
        }
        return run;
    }
}
