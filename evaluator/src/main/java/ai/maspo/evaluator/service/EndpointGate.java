package ai.maspo.evaluator.service;

import ai.maspo.evaluator.config.LlmConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;

/**
 * What one LLM endpoint (a base URL) takes from this replica, shared by every job and role that uses it: requests in
 * flight, requests and tokens per minute (Bucket4j buckets, tokens estimated before a request and corrected by the
 * usage it reports), the pause a 429 asks for, which holds back the whole endpoint rather than the one request, and a
 * circuit breaker (resilience4j) that stops sending to an endpoint that keeps failing.
 * <p>
 * The in-flight limit adapts as TCP's window does: a 429 halves it (once per round: only a request sent after the
 * last decrease can lower it again), every answer regains 1/limit of a request, up to the configured maximum; so
 * a provider's rate limit slows every job of the replica down instead of multiplying their retries. The waits use a
 * {@link ReentrantLock}, never a monitor, since jobs run on virtual threads (a monitor's wait pins its carrier on
 * Java 21); the libraries' blocking limiters (resilience4j's bulkhead, Netflix's concurrency-limits) either wait on
 * a monitor or cannot shrink while requests are in flight.
 */
final class EndpointGate {

    /** The limits of one endpoint: see {@code LlmConfig.Limits}. */
    record Settings(int maxInFlight, Optional<Integer> requestsPerMinute, Optional<Long> tokensPerMinute,
                    int completionTokensEstimate, Duration timeout) {
    }

    /** One admitted request; {@link #close} without {@link #sent} gives back what it took (nothing was sent). */
    final class Pass implements AutoCloseable {
        private final long estimatedTokens;
        private final long admittedAt = System.nanoTime();
        private boolean closed;

        private Pass(long estimatedTokens) {
            this.estimatedTokens = estimatedTokens;
        }

        /**
         * What the request came to. {@code throttlePause}: how long the whole endpoint waits after a 429 (its
         * Retry-After, else the caller's backoff).
         */
        void sent(ChatEndpoint.Attempt outcome, Duration throttlePause) {
            long nanos = System.nanoTime() - admittedAt;
            switch (outcome) {
                case ChatEndpoint.Attempt.Answered a -> {
                    correctTokens(a.promptTokens() + a.completionTokens() - estimatedTokens);
                    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
                    release(Signal.ANSWERED, Duration.ZERO);
                }
                case ChatEndpoint.Attempt.Failed f when f.rateLimited() -> {
                    correctTokens(-estimatedTokens); // a refused request uses no tokens
                    breaker.releasePermission(); // the endpoint is alive: not a failure
                    throttled.increment();
                    release(Signal.THROTTLED, throttlePause);
                }
                case ChatEndpoint.Attempt.Failed f -> {
                    if (!f.paid()) {
                        correctTokens(-estimatedTokens);
                    }
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, new LlmCallFailedException(f.reason(), null));
                    release(Signal.FAILED, Duration.ZERO);
                }
            }
        }

        @Override
        public void close() {
            if (!closed) {
                correctTokens(-estimatedTokens);
                requests.ifPresent(b -> b.addTokens(1));
                breaker.releasePermission();
                release(Signal.FAILED, Duration.ZERO);
            }
        }

        private void release(Signal signal, Duration pause) {
            closed = true;
            EndpointGate.this.release(signal, admittedAt, pause);
        }
    }

    private enum Signal { ANSWERED, THROTTLED, FAILED }

    private final String name;
    private final Settings settings;
    private final Duration breakerOpenFor;
    private final Optional<Bucket> requests;
    private final Optional<Bucket> tokens;
    private final CircuitBreaker breaker;
    private final Counter throttled;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}, as are the fields below. */
    private double limit;
    private int inFlight;
    private long pausedUntil = System.nanoTime();
    private long lastDecrease = System.nanoTime();

    EndpointGate(String name, Settings settings, LlmConfig.CircuitBreaker breakerConfig, MeterRegistry registry) {
        if (settings.maxInFlight() < 1 || settings.requestsPerMinute().orElse(1) < 1
                || settings.tokensPerMinute().orElse(1L) < 1 || settings.completionTokensEstimate() < 0) {
            throw new IllegalArgumentException("maspo.llm limits of endpoint " + name + " must be positive: " + settings);
        }
        this.name = name;
        this.settings = settings;
        this.limit = settings.maxInFlight();
        this.requests = settings.requestsPerMinute().map(EndpointGate::perMinute);
        this.tokens = settings.tokensPerMinute().map(EndpointGate::perMinute);
        this.breakerOpenFor = breakerConfig.openFor();
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breakerConfig.window())
                .minimumNumberOfCalls(breakerConfig.window())
                .failureRateThreshold(breakerConfig.failureRatePercent())
                .waitDurationInOpenState(breakerConfig.openFor())
                .permittedNumberOfCallsInHalfOpenState(breakerConfig.trialRequests())
                .build());
        Tags tags = Tags.of("endpoint", name);
        this.throttled = registry.counter("maspo.llm.endpoint.throttled", tags);
        registry.gauge("maspo.llm.endpoint.in-flight", tags, this, g -> g.locked(() -> g.inFlight));
        registry.gauge("maspo.llm.endpoint.limit", tags, this, g -> g.locked(() -> g.limit));
        registry.gauge("maspo.llm.endpoint.waiting", tags, waiting);
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            registry.gauge("maspo.llm.endpoint.breaker", tags.and("state", state.name().toLowerCase(Locale.ROOT)),
                    breaker, b -> b.getState() == state ? 1 : 0);
        }
    }

    private static Bucket perMinute(long amount) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(amount)
                .refillGreedy(amount, Duration.ofMinutes(1)).build()).build();
    }

    String name() {
        return name;
    }

    Duration timeout() {
        return settings.timeout();
    }

    /** The tokens a request is assumed to use before it reports them: see {@code LlmConfig.Limits}. */
    long estimateTokens(long promptCharacters, OptionalLong maxCompletionTokens) {
        return promptCharacters / 4 + maxCompletionTokens.orElse(settings.completionTokensEstimate());
    }

    /**
     * Waits until this endpoint may take one more request of about {@code estimatedTokens}; empty when its circuit
     * breaker refuses it (nothing is then held).
     */
    Optional<Pass> enter(long estimatedTokens) {
        waiting.incrementAndGet();
        long tokensTaken = 0;
        boolean slotTaken = false;
        try {
            acquireSlot();
            slotTaken = true;
            if (requests.isPresent()) {
                requests.get().asBlocking().consume(1);
            }
            if (tokens.isPresent()) {
                // more than a minute's worth could never be granted: it waits for a full bucket instead
                tokensTaken = Math.clamp(estimatedTokens, 1, settings.tokensPerMinute().get());
                tokens.get().asBlocking().consume(tokensTaken);
            }
            awaitPause(); // a 429 may have paused the endpoint while this request waited for its rate
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (slotTaken) {
                release(Signal.FAILED, System.nanoTime(), Duration.ZERO);
            }
            throw new LlmCallFailedException("interrupted while waiting for endpoint " + name, e);
        } finally {
            waiting.decrementAndGet();
        }
        if (!breaker.tryAcquirePermission()) {
            correctTokens(-tokensTaken);
            requests.ifPresent(b -> b.addTokens(1));
            release(Signal.FAILED, System.nanoTime(), Duration.ZERO);
            return Optional.empty();
        }
        return Optional.of(new Pass(tokensTaken));
    }

    /** How long an open breaker refuses requests before it lets trial requests through. */
    Duration breakerOpenFor() {
        return breakerOpenFor;
    }

    private void acquireSlot() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long pause = pausedUntil - System.nanoTime();
                if (pause > 0) {
                    changed.awaitNanos(pause);
                } else if (inFlight < (int) limit) {
                    inFlight++;
                    return;
                } else {
                    changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitPause() throws InterruptedException {
        lock.lock();
        try {
            for (long pause; (pause = pausedUntil - System.nanoTime()) > 0; ) {
                changed.awaitNanos(pause);
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(Signal signal, long admittedAt, Duration pause) {
        lock.lock();
        try {
            inFlight--;
            long now = System.nanoTime();
            switch (signal) {
                case ANSWERED -> limit = Math.min(settings.maxInFlight(), limit + 1 / limit);
                case THROTTLED -> {
                    if (admittedAt - lastDecrease > 0) { // sent at the old rate: the endpoint asks for less
                        limit = Math.max(1, limit / 2);
                        lastDecrease = now;
                    }
                    pausedUntil = Math.max(pausedUntil, now + pause.toNanos());
                }
                case FAILED -> {
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes more tokens (a request used more than estimated: the bucket may go into debt) or gives some back. */
    private void correctTokens(long difference) {
        tokens.ifPresent(bucket -> {
            if (difference > 0) {
                bucket.consumeIgnoringRateLimits(difference);
            } else if (difference < 0) {
                bucket.addTokens(-difference);
            }
        });
    }

    private double locked(DoubleSupplier value) {
        lock.lock();
        try {
            return value.getAsDouble();
        } finally {
            lock.unlock();
        }
    }
}
