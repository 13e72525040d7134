package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.config.OrchestratorConfig;
import ai.maspo.orchestrator.domain.ValidRun;
import ai.maspo.orchestrator.metrics.SearchMetrics;
import ai.maspo.orchestrator.persistence.DispatchEntity;
import ai.maspo.orchestrator.persistence.JobReplies;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.persistence.RunPhase;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.SearchEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a batch of answers in one transaction. The answers are stored in one statement, each once and only if it
 * answers a pending job of an active run (a repeat, or an answer for an unknown or finished run, stores nothing and
 * is ignored); the answered jobs are closed in one more. Only then is each run that got answers locked, briefly, to
 * advance its engine once per command that is now complete, decoding and storing its state once per batch.
 * A failed evaluation job is sent again, up to {@code maspo.orchestrator.job-attempts} attempts, before it counts.
 */
@ApplicationScoped
public class ReplyIngest {

    private static final Logger LOG = Logger.getLogger(ReplyIngest.class);
    private static final Pattern ATTEMPT = Pattern.compile("^(.*)#(\\d+)$");

    private final ValidRuns validRuns;
    private final RunAdvancer advancer;
    private final TestPhase tests;
    private final RunCosts costs;
    private final SearchDispatch dispatch;
    private final OrchestratorConfig config;
    private final SearchMetrics metrics;

    ReplyIngest(ValidRuns validRuns, RunAdvancer advancer, TestPhase tests, RunCosts costs, SearchDispatch dispatch,
                OrchestratorConfig config, SearchMetrics metrics) {
        this.metrics = metrics;
        this.validRuns = validRuns;
        this.advancer = advancer;
        this.tests = tests;
        this.costs = costs;
        this.dispatch = dispatch;
        this.config = config;
    }

    @Transactional
    public void ingest(List<Reply> replies) {
        Map<String, Reply> byRequest = new LinkedHashMap<>();
        replies.forEach(r -> byRequest.putIfAbsent(r.requestId(), r));
        List<JobReplies.Accepted> accepted = JobReplies.store(byRequest.values().stream()
                .map(r -> new JobReplies.Incoming(r.requestId(), r.runId(), r.succeeded(), r.body())).toList());
        metrics.answersIngested(accepted.size(), byRequest.size() - accepted.size());
        if (accepted.size() < byRequest.size()) {
            LOG.debugf("ignored %d answers: repeats, or for jobs or runs no longer waiting", byRequest.size() - accepted.size());
        }
        if (accepted.isEmpty()) {
            return;
        }
        List<DispatchEntity.Status> statuses = new ArrayList<>();
        for (JobReplies.Accepted a : accepted) {
            statuses.add(a.succeeded() ? DispatchEntity.Status.SUCCEEDED : retryOrFail(a));
        }
        JobReplies.closeDispatches(accepted.stream().map(JobReplies.Accepted::requestId).toList(), statuses,
                accepted.stream().map(a -> a.succeeded() ? null : a.body()).toList());

        // Runs in a fixed order, so two transactions locking the same runs cannot deadlock.
        Map<String, List<Integer>> perRun = new TreeMap<>();
        for (int i = 0; i < accepted.size(); i++) {
            perRun.computeIfAbsent(accepted.get(i).runId(), k -> new ArrayList<>()).add(i);
        }
        perRun.forEach((runId, indexes) -> {
            MDC.put("runId", runId); // on every log line of the run's step, a field of its own in JSON logs
            try {
                advance(runId, indexes.stream().map(accepted::get).toList(), indexes.stream().map(statuses::get).toList(),
                        byRequest);
            } finally {
                MDC.remove("runId");
            }
        });
    }

    /**
     * Spend is reported apart from the answers (usage reports), so it may land after the last answer of a step: a
     * run whose budget the latest reports exhausted stops now rather than at an answer that may never come.
     */
    @Transactional
    public void checkBudgets(Collection<String> runIds) {
        // in a fixed order, as in ingest, so two transactions locking the same runs cannot deadlock
        for (String runId : new TreeSet<>(runIds)) {
            RunEntity run = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
            if (run == null || run.status != RunStatus.RUNNING || run.phase != RunPhase.SEARCHING) {
                continue;
            }
            ValidRun valid = validRuns.of(run);
            costs.budgetExceeded(run, valid).ifPresent(reason -> {
                RunAdvancer.Step engine = advancer.open(run, valid);
                engine.apply(new SearchEvent.BudgetExhausted(reason));
                engine.store();
            });
        }
    }

    private DispatchEntity.Status retryOrFail(JobReplies.Accepted failed) {
        if (failed.kind().equals(SearchDispatch.MINIBATCH)) {
            return DispatchEntity.Status.FAILED;
        }
        Matcher m = ATTEMPT.matcher(failed.requestId());
        String firstId = m.matches() ? m.group(1) : failed.requestId();
        int attempt = m.matches() ? Integer.parseInt(m.group(2)) : 1;
        if (attempt >= config.jobAttempts()) {
            return DispatchEntity.Status.FAILED;
        }
        LOG.infof("job %s failed (attempt %d of %d), sending it again: %s", failed.requestId(), attempt,
                config.jobAttempts(), failed.body());
        dispatch.retry(DispatchEntity.findById(failed.requestId()), firstId, attempt + 1);
        return DispatchEntity.Status.RETRIED;
    }

    private void advance(String runId, List<JobReplies.Accepted> answers, List<DispatchEntity.Status> statuses,
                         Map<String, Reply> replies) {
        RunEntity run = RunEntity.findById(runId, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || run.status.isFinal()) {
            return;
        }
        ValidRun valid = validRuns.of(run);
        RunAdvancer.Step engine = advancer.open(run, valid);
        // Per command touched, in order of arrival: a job failed for good fails it; else it may now be complete,
        // and the answer that completed it is its last one here.
        Map<String, JobReplies.Accepted> lastOfCommand = new LinkedHashMap<>();
        Map<String, String> failedCommands = new LinkedHashMap<>();
        boolean testAnswers = false;
        for (int i = 0; i < answers.size(); i++) {
            JobReplies.Accepted a = answers.get(i);
            if (a.commandId() == null) {
                testAnswers = true;
                continue;
            }
            lastOfCommand.put(a.commandId(), a);
            if (statuses.get(i) == DispatchEntity.Status.FAILED) {
                failedCommands.putIfAbsent(a.commandId(), a.body());
            }
        }
        for (JobReplies.Accepted last : lastOfCommand.values()) {
            String commandId = last.commandId();
            if (failedCommands.containsKey(commandId)) {
                engine.apply(new SearchEvent.CommandFailed(commandId, failedCommands.get(commandId)));
            } else if (last.succeeded() && engine.searching() && DispatchEntity.commandSucceeded(runId, commandId)) {
                engine.apply(dispatch.event(runId, commandId, last.kind(), last.body()));
            }
        }
        if (engine.searching()) {
            costs.budgetExceeded(run, valid)
                    .ifPresent(reason -> engine.apply(new SearchEvent.BudgetExhausted(reason)));
        }
        engine.store();
        if (testAnswers) {
            tests.finishIfDone(run, valid);
        }
    }
}
