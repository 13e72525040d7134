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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Every LLM call of the evaluator goes through here (its HTTP attempts are counted by {@link LlmCaller}).
 * Reproducible calls (temperature 0 or an explicit seed) are answered from a cache keyed by a hash of endpoint, role
 * and the request's final JSON body (model, messages and every parameter): first this replica's memory, where
 * concurrent identical calls wait for the one in flight, then the cache all replicas share ({@link SharedAnswers}),
 * so a request is paid once however many evaluators serve the run and whatever restarted. A cache hit is reported as
 * a cached call, which costs nothing; a failure is never cached.
 */
@ApplicationScoped
public class LlmGateway {

    private final LlmCaller caller;
    private final SharedAnswers shared;
    private final AsyncCache<String, LlmReply> cache;
    private final LlmMetrics metrics;
    private final EvaluatorTracing tracing;

    LlmGateway(LlmCaller caller, SharedAnswers shared, EvaluatorConfig config, LlmMetrics metrics,
               EvaluatorTracing tracing) {
        this.caller = caller;
        this.shared = shared;
        this.metrics = metrics;
        this.tracing = tracing;
        // Failed futures are dropped by Caffeine, so a failure is never cached.
        this.cache = Caffeine.newBuilder().maximumSize(config.cacheMaxEntries()).buildAsync();
    }

    /** The reply; its text is free of reasoning, and may be a refusal (counted here, judged by the caller's parser). */
    public LlmReply complete(ModelRole role, ModelSettings settings, ChatPrompt prompt, long seed, UsageMeter meter) {
        return tracing.llmCall(role, settings.model(), () -> answer(caller.request(role, settings, prompt, seed), meter));
    }

    private LlmReply answer(LlmRequest request, UsageMeter meter) {
        if (!request.reproducible()) {
            return paidCall(request, meter);
        }
        String key = cacheKey(request);
        CompletableFuture<LlmReply> mine = new CompletableFuture<>();
        CompletableFuture<LlmReply> existing = cache.asMap().putIfAbsent(key, mine);
        if (existing != null) {
            LlmReply reply = join(existing);
            hit(request, meter, "memory");
            return reply;
        }
        try {
            LlmReply reply = sharedAnswer(key, request, meter);
            mine.complete(reply);
            return reply;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private LlmReply sharedAnswer(String key, LlmRequest request, UsageMeter meter) {
        Optional<LlmReply> stored = shared.answerOrClaim(key, request);
        if (stored.isPresent()) {
            hit(request, meter, "shared");
            return stored.get();
        }
        LlmReply reply;
        try {
            reply = paidCall(request, meter);
        } catch (RuntimeException e) {
            shared.release(key);
            throw e;
        }
        shared.store(key, request, reply);
        return reply;
    }

    private void hit(LlmRequest request, UsageMeter meter, String layer) {
        meter.recordCacheHit(request.role());
        metrics.cached(request.role(), request.model(), layer);
        EvaluatorTracing.cached();
    }

    private LlmReply paidCall(LlmRequest request, UsageMeter meter) {
        long start = System.nanoTime();
        try {
            LlmReply reply = caller.call(request, meter);
            metrics.paid(request.role(), request.model(), reply, System.nanoTime() - start);
            if (ReplyText.isRefusal(reply.text())) {
                metrics.refused(request.role(), request.model());
            }
            return reply;
        } catch (RuntimeException e) {
            metrics.failed(request.role(), request.model());
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

    /** SHA-256 of endpoint, role and body, each length-prefixed so that no two different triples collide by design. */
    static String cacheKey(LlmRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{request.endpoint(), request.role().name(), request.body()}) {
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
