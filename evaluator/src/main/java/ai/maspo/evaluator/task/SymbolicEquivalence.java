package ai.maspo.evaluator.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Decides whether two math answers are the same value with the Symja computer-algebra system:
 * {@code \frac{1}{\sqrt{2}}} and {@code \frac{\sqrt{2}}{2}}, {@code \sqrt{12}} and {@code 2\sqrt{3}}, {@code x(x+2)}
 * and {@code x^2+2x}, {@code \{1, 2\}} and {@code \{2, 1\}}. Both answers are converted by {@link LatexMath}; two
 * expressions are equal when {@code Simplify(a - b)} is exactly 0 (never a numeric tolerance: decimals are exact
 * fractions, so {@code 1.414} is not {@code \sqrt{2}}). Sets and bare lists match element for element in any order,
 * tuples and intervals in order with the same brackets.
 *
 * <p>A CAS call can run for very long on some inputs: each comparison has a time bound, and a comparison that does not
 * finish in time is not equivalent. The CAS runs on its own threads (its engine is per thread), at most
 * {@link #THREADS} comparisons at once; its one-off start-up (about a second) is not counted in the bound.
 */
public final class SymbolicEquivalence {

    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(2);
    private static final int THREADS = 2;
    private static final ExecutorService CAS = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "symja");
        t.setDaemon(true);
        return t;
    });
    private static final ThreadLocal<ExprEvaluator> EVALUATOR = ThreadLocal.withInitial(() -> new ExprEvaluator(false, (short) 100));
    private static volatile boolean started;

    private SymbolicEquivalence() {
    }

    /** True when both answers are math the converter knows and denote the same value (or collection of values). */
    public static boolean equivalent(String a, String b, Duration bound) {
        if (MathNormalizer.bothRational(a, b)) {
            return MathNormalizer.equivalent(a, b);
        }
        Optional<LatexMath.Form> fa = LatexMath.convert(a);
        Optional<LatexMath.Form> fb = LatexMath.convert(b);
        if (fa.isEmpty() || fb.isEmpty()) {
            return false;
        }
        LatexMath.Form x = fa.get();
        LatexMath.Form y = fb.get();
        if (x.elements().size() != y.elements().size() || x.ordered() != y.ordered() || !x.brackets().equals(y.brackets())) {
            return false;
        }
        start();
        AtomicReference<EvalEngine> engine = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        Future<Boolean> comparison = CAS.submit(() -> {
            running.countDown();
            EvalEngine own = EVALUATOR.get().getEvalEngine();
            own.setStopRequested(false);
            engine.set(own);
            return x.ordered() ? inOrder(x.elements(), y.elements()) : anyOrder(x.elements(), y.elements());
        });
        try {
            running.await(); // the wait for a CAS thread is not the comparison's time; every comparison ahead is bounded
            return comparison.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            EvalEngine stuck = engine.get();
            if (stuck != null) {
                stuck.stopRequest(); // the engine checks this flag as it evaluates, and gives the thread back
            }
            comparison.cancel(true);
            return false;
        } catch (ExecutionException e) {
            return false; // the CAS refused the input: not provably the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean inOrder(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A perfect matching of equal elements (greedy is enough: equality is transitive). */
    private static boolean anyOrder(List<String> a, List<String> b) {
        List<String> left = new ArrayList<>(b);
        for (String element : a) {
            int match = -1;
            for (int j = 0; j < left.size() && match < 0; j++) {
                if (same(element, left.get(j))) {
                    match = j;
                }
            }
            if (match < 0) {
                return false;
            }
            left.remove(match);
        }
        return true;
    }

    private static boolean same(String a, String b) {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted");
        }
        IExpr difference = EVALUATOR.get().eval("Simplify((" + a + ")-(" + b + "))");
        return difference.isZero();
    }

    /** Loads the CAS's symbol tables once, outside every comparison's time bound. */
    private static void start() {
        if (!started) {
            synchronized (SymbolicEquivalence.class) {
                if (!started) {
                    F.initSymbols();
                    started = true;
                }
            }
        }
    }
}
