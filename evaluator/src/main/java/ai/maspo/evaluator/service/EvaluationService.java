package ai.maspo.evaluator.service;

import ai.maspo.protocol.BaselineJob;
import ai.maspo.protocol.EvaluationRequest;
import ai.maspo.protocol.ProposeJob;
import ai.maspo.protocol.ScoreCandidateJob;
import ai.maspo.protocol.EvaluationOutcome;
import ai.maspo.protocol.EvaluationResult;
import ai.maspo.protocol.MasTraces;
import ai.maspo.protocol.ResultStatus;
import ai.maspo.protocol.RunMasJob;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Turns one evaluation request into its result. Holds no run state: everything needed travels in the request. */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final MasExecutor mas;
    private final SearchJobs search;
    private final UsageReporter usage;

    EvaluationService(MasExecutor mas, SearchJobs search, UsageReporter usage) {
        this.mas = mas;
        this.search = search;
        this.usage = usage;
    }

    /** The result's usage is for information: the run's cost is what {@link UsageReporter} reported as it went. */
    public EvaluationResult evaluate(EvaluationRequest request) {
        UsageMeter meter = usage.start(request.runId(), request.requestId());
        try {
            return evaluate(request, meter);
        } finally {
            usage.finish(meter);
        }
    }

    private EvaluationResult evaluate(EvaluationRequest request, UsageMeter meter) {
        try {
            EvaluationOutcome outcome = switch (request.job()) {
                case RunMasJob job -> new MasTraces(mas.run(request.mas(), job.prompts(), job.questions(),
                        request.models(), request.seed(), meter));
                case BaselineJob job -> search.baseline(request, job, meter);
                case ProposeJob job -> search.propose(request, job, meter);
                case ScoreCandidateJob job -> search.score(request, job, meter);
            };
            return new EvaluationResult(request.requestId(), request.runId(), ResultStatus.SUCCEEDED, null, outcome,
                    meter.snapshot());
        } catch (LlmCallFailedException e) {
            LOG.warnf("request %s of run %s failed: %s", request.requestId(), request.runId(), e.getMessage());
            return failed(request, e.getMessage(), meter);
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s of run %s failed unexpectedly", request.requestId(), request.runId());
            return failed(request, e.getClass().getSimpleName() + ": " + e.getMessage(), meter);
        }
    }

    private static EvaluationResult failed(EvaluationRequest request, String error, UsageMeter meter) {
        return new EvaluationResult(request.requestId(), request.runId(), ResultStatus.FAILED, error, null,
                meter.snapshot());
    }
}
