package ai.maspo.infra.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** PNG charts of a benchmark's summaries, drawn with JFreeChart (headless). */
final class BenchmarkCharts {

    static void write(List<StrategyBenchmark.Summary> summaries, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        intervals(summaries, StrategyBenchmark.Summary::optimizedAccuracy, "Test accuracy of the optimized prompts (95 % CI over seeds)",
                "accuracy", dir.resolve("accuracy.png"));
        intervals(summaries.stream().filter(s -> s.differenceToLocalOnly() != null
                        && !s.strategy().equals(StrategyBenchmark.REFERENCE)).toList(),
                StrategyBenchmark.Summary::differenceToLocalOnly,
                "Paired difference to maspo-local-only (95 % CI over seeds)", "accuracy difference",
                dir.resolve("difference.png"));
        DefaultCategoryDataset calls = new DefaultCategoryDataset();
        summaries.forEach(s -> calls.addValue(s.meanCalls().values().stream().mapToDouble(Double::doubleValue).sum(),
                s.strategy(), s.scenario()));
        save(ChartFactory.createBarChart("Paid LLM calls per run (mean over seeds)", "scenario", "calls", calls),
                dir.resolve("calls.png"));
    }

    private static void intervals(List<StrategyBenchmark.Summary> summaries,
                                  Function<StrategyBenchmark.Summary, Interval> metric, String title, String axis,
                                  Path file) throws IOException {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (StrategyBenchmark.Summary s : summaries) {
            Interval i = metric.apply(s);
            // The renderer draws mean ± the given value: the t interval is symmetric, so its half-width.
            data.add(i.mean(), Double.isNaN(i.high()) ? 0 : (i.high() - i.low()) / 2, s.strategy(), s.scenario());
        }
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("scenario"), new NumberAxis(axis),
                new StatisticalBarRenderer());
        plot.setOrientation(PlotOrientation.VERTICAL);
        save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), file);
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 560);
    }

    private BenchmarkCharts() {
    }
}
