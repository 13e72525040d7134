package ai.maspo.infra.bench;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

import java.util.Collection;

/** A mean with its 95 % confidence interval; {@code low} and {@code high} are NaN when n is too small for one. */
public record Interval(double mean, double low, double high, int n) {

    public static final double LEVEL = 0.95;

    /** Student's t interval of the mean of independent values (e.g. one per seed). */
    public static Interval ofMean(Collection<Double> values) {
        SummaryStatistics stats = new SummaryStatistics();
        values.forEach(stats::addValue);
        int n = (int) stats.getN();
        if (n < 2) {
            return new Interval(n == 0 ? Double.NaN : stats.getMean(), Double.NaN, Double.NaN, n);
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + LEVEL / 2);
        double half = t * stats.getStandardDeviation() / Math.sqrt(n);
        return new Interval(stats.getMean(), stats.getMean() - half, stats.getMean() + half, n);
    }

    /** Wilson score interval of a proportion: {@code successes} of {@code trials} independent items. */
    public static Interval ofProportion(int successes, int trials) {
        var ci = new WilsonScoreInterval().createInterval(trials, successes, LEVEL);
        return new Interval((double) successes / trials, ci.getLowerBound(), ci.getUpperBound(), trials);
    }

    public boolean aboveZero() {
        return low > 0;
    }
}
