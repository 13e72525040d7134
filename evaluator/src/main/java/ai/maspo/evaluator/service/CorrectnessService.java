package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.EvaluatorConfig;
import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.evaluator.task.AnswerChecker;
import ai.maspo.evaluator.task.AnswerExtractor;
import ai.maspo.evaluator.task.CheckResult;
import ai.maspo.evaluator.task.ExtractionRule;
import ai.maspo.evaluator.task.JudgePrompts;
import ai.maspo.evaluator.task.ReferenceJudge;
import ai.maspo.evaluator.task.sandbox.PythonSandbox;
import ai.maspo.evaluator.task.sandbox.SandboxLimits;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import ai.maspo.protocol.Question;
import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Reads final answers and decides correctness on labelled questions with the task's checker: normalized exact
 * match, option letter, unit tests in the Python sandbox, or the judge model against the reference.
 */
@ApplicationScoped
public class CorrectnessService {

    /** {@code correct} is null when the question carries no label. */
    public record Verdict(String answer, Boolean correct) {
    }

    private static final Logger LOG = Logger.getLogger(CorrectnessService.class);

    private final LlmGateway llm;
    private final EvaluatorConfig config;
    private volatile PythonSandbox sandbox;

    CorrectnessService(LlmGateway llm, EvaluatorConfig config) {
        this.llm = llm;
        this.config = config;
    }

    public String extract(TaskDefinition task, String output) {
        return AnswerExtractor.extract(ExtractionRule.fromWire(task.extraction()), output).orElse(null);
    }

    public Verdict check(TaskDefinition task, Question question, String output, ModelSettings judge, long seed,
                         UsageMeter meter) {
        if (question.reference() == null && question.tests() == null) {
            return new Verdict(extract(task, output), null);
        }
        ReferenceJudge referenceJudge = (q, reference, answer) -> judged(q, reference, answer, judge, seed, meter);
        CheckResult result = new AnswerChecker(task.type() == TaskType.CODE ? sandbox() : null, referenceJudge, config.casTimeout())
                .check(task, question.text(), output, question.reference(), Optional.ofNullable(question.tests()));
        return new Verdict(result.extractedAnswer(), result.correct());
    }

    /** An answer the judge's reply does not settle, even when asked twice, counts as not correct. */
    private boolean judged(String question, String reference, String answer, ModelSettings judge, long seed,
                           UsageMeter meter) {
        ChatPrompt prompt = new ChatPrompt("", JudgePrompts.correctnessPrompt(question, reference, answer));
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<Boolean> verdict = JudgePrompts.parseVerdict(
                    llm.complete(ModelRole.JUDGE, judge, prompt, seed + attempt, meter).text());
            if (verdict.isPresent()) {
                return verdict.get();
            }
        }
        return false;
    }

    /**
     * Created at start-up (probing bubblewrap starts processes), so the log and the readiness check say at once
     * whether code checks can run; when they cannot, every code check fails its evaluation with the reason.
     */
    void probeSandbox(@Observes StartupEvent event) {
        PythonSandbox s = sandbox();
        s.unavailableReason().ifPresentOrElse(
                reason -> LOG.errorf("code checks are refused: python sandbox unavailable: %s", reason),
                () -> LOG.infof("python sandbox: %s", s.isolation()));
    }

    PythonSandbox sandbox() {
        PythonSandbox s = sandbox;
        if (s == null) {
            synchronized (this) {
                if (sandbox == null) {
                    sandbox = new PythonSandbox(config.sandbox().bwrap(), config.sandbox().python(),
                            SandboxLimits.defaults().withWallClock(config.sandbox().timeout()));
                }
                s = sandbox;
            }
        }
        return s;
    }
}
