package ai.maspo.evaluator.messaging;

import ai.maspo.evaluator.config.EvaluatorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Graceful stop of an evaluator (scale-in, rolling update, SIGTERM). The consumer commits only the offsets of jobs
 * whose result was published, so a stopping evaluator never loses a job: what it leaves unfinished is redelivered to
 * the others once it has left the group. This class makes it also finish what it has started, so those jobs' LLM
 * calls are not paid twice: on shutdown, before the Kafka connector commits and leaves the group, deliveries are no
 * longer started (they are held, neither acknowledged nor refused, so they are redelivered) and the jobs in progress
 * get up to {@code maspo.evaluator.shutdown.drain-timeout} to publish their results. Jobs still running then are left
 * uncommitted. Keep the drain timeout below the pod's termination grace period (docs/operations.md, "Scale-in").
 * The jobs in progress are the gauge {@code maspo_evaluator_jobs_in_progress}.
 */
@ApplicationScoped
public class JobDrain {

    private static final Logger LOG = Logger.getLogger(JobDrain.class);

    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** never counted down: held deliveries wait on it until the process exits */
    private final CountDownLatch exit = new CountDownLatch(1);
    private int running;
    private boolean stopping;

    @Inject
    JobDrain(EvaluatorConfig config, MeterRegistry registry) {
        this(config.shutdown().drainTimeout());
        Gauge.builder("maspo.evaluator.jobs.in.progress", this, JobDrain::running)
                .description("Evaluation jobs this evaluator has started and not finished").register(registry);
    }

    JobDrain(Duration timeout) {
        this.timeout = timeout;
    }

    /** true: run the job, then call {@link #finished()}; false: the evaluator is stopping, do not start it. */
    boolean tryStart() {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            running++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void finished() {
        lock.lock();
        try {
            running--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Never returns: parks the caller (a delivery refused by {@link #tryStart()}) until the process exits. Returning
     * would acknowledge the record and throwing would dead-letter it; unacknowledged, it is redelivered.
     */
    void holdUntilExit() {
        while (true) {
            try {
                exit.await();
            } catch (InterruptedException e) {
                // the executor's shutdownNow: keep holding, the JVM does not wait for virtual threads
            }
        }
    }

    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Starts no further job; returns how many are running. */
    int stop() {
        lock.lock();
        try {
            stopping = true;
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #stop()}, then waits up to {@code limit} for the running jobs; returns how many still run. */
    int drain(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        lock.lock();
        try {
            stopping = true;
            long left;
            while (running > 0 && (left = deadline - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** ShutdownEvent comes before the connectors close: the results of the drained jobs can still be published. */
    void onShutdown(@Observes ShutdownEvent event) {
        int before = stop();
        long started = System.nanoTime();
        int left = drain(timeout);
        LOG.infof("shutdown: %d jobs were in progress; %d finished in %d ms, %d left unfinished for redelivery "
                        + "(drain timeout %s); deliveries from now on are not started and will be redelivered",
                before, before - left, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), left, timeout);
    }
}
