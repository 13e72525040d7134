package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.EvaluatorConfig;
import ai.maspo.evaluator.prompting.ChatPrompt;
import ai.maspo.evaluator.prompting.ReplyText;
import ai.maspo.evaluator.tracing.EvaluatorTracing;
import ai.maspo.protocol.ModelRole;
import ai.maspo.protocol.ModelSettings;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Every LLM call of the evaluator goes through here (its HTTP attempts are counted by {@link LlmCaller}):
 * deterministic calls (temperature 0) are answered from a
 * cache keyed by a hash of model, messages, temperature, seed and the role's other request parameters, so a prefix shared by several beam nodes or
 * layers is paid for once; concurrent identical calls wait for the one in flight instead of calling again.
 */
@ApplicationScoped
public class LlmGateway {

    private final LlmCaller caller;
    private final AsyncCache<String, LlmReply> cache;
    private final LlmMetrics metrics;
    private final EvaluatorTracing tracing;

    LlmGateway(LlmCaller caller, EvaluatorConfig config, LlmMetrics metrics, EvaluatorTracing tracing) {
        this.caller = caller;
        this.metrics = metrics;
        this.tracing = tracing;
        // Failed futures are dropped by Caffeine, so a failure is never cached.
        this.cache = Caffeine.newBuilder().maximumSize(config.cacheMaxEntries()).buildAsync();
    }

    /** The reply; its text is free of reasoning, and may be a refusal (counted here, judged by the caller's parser). */
    public LlmReply complete(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed, UsageMeter meter) {
        return tracing.llmCall(role, settings.model(), () -> answer(role, settings, prompt, seed, meter));
    }

    private LlmReply answer(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed, UsageMeter meter) {
        if (settings.temperature() != 0.0) {
            return paidCall(role, settings, prompt, seed, meter);
        }
        CompletableFuture<LlmReply> mine = new CompletableFuture<>();
        CompletableFuture<LlmReply> existing = cache.asMap().putIfAbsent(cacheKey(settings, prompt, seed), mine);
        if (existing != null) {
            meter.recordCacheHit(role);
            metrics.cached(role, settings.model());
            EvaluatorTracing.cached();
            return join(existing);
        }
        try {
            LlmReply reply = paidCall(role, settings, prompt, seed, meter);
            mine.complete(reply);
            return reply;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private LlmReply paidCall(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed, UsageMeter meter) {
        long start = System.nanoTime();
        try {
            LlmReply reply = caller.call(role, settings, prompt, seed, meter);
            metrics.paid(role, settings.model(), reply, System.nanoTime() - start);
            if (ReplyText.isRefusal(reply.text())) {
                metrics.refused(role, settings.model());
            }
            return reply;
        } catch (RuntimeException e) {
            metrics.failed(role, settings.model());
            throw e;
        }
    }

    private static LlmReply join(CompletableFuture<LlmReply> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The optional request parameters, which change the answer as much as the prompt does. */
    private static String parameters(ModelSettings s) {
        return s.maxTokens() + "|" + s.topP() + "|" + s.stop() + "|" + s.omitSeed() + "|" + s.reasoningEffort() + "|"
                + s.extraBody();
    }

    static String cacheKey(ModelSettings settings, ChatPrompt prompt, long seed) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{settings.model(), Double.toString(settings.temperature()),
                    Long.toString(seed), String.valueOf(prompt.system()), prompt.user(), parameters(settings)}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
