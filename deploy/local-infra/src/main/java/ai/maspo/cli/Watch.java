package ai.maspo.cli;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows a run to its end by polling GET run and its history, showing {@link RunProgress}: on a terminal a progress
 * bar per phase (search: layers, test: test jobs) with ETA, agent and layer, best J and budget; elsewhere (a pipe, a
 * log, a test) one line whenever something other than the ETA changed.
 */
public final class Watch {
    /** Set by deploy/local/maspo when stderr is a terminal: the JDK's own check (Console.isTerminal) needs Java 22. */
    static final String TTY_PROPERTY = "maspo.cli.tty";

    interface Display extends AutoCloseable {
        void show(RunProgress progress);

        @Override
        void close();
    }

    private Watch() {
    }

    static Display display(PrintWriter err) {
        return Boolean.getBoolean(TTY_PROPERTY) ? new Bar() : new Lines(err);
    }

    /**
     * Follows a run of {@code spec} (its plan: layers per agent, budget) until it ends, polling every second and showing
     * its progress on {@code err}; for the local run, which submits the spec itself.
     */
    public static JsonNode follow(RunClient client, String runId, JsonNode spec, Duration timeout, PrintWriter err) {
        // no hint on Ctrl-C: the local run stops its stack, and the run with it
        return follow(client, runId, RunProgress.Plan.of(spec), timeout, Duration.ofSeconds(1), display(err), false);
    }

    /** Polls every {@code interval} until the run's status is terminal; throws {@link Maspo.WatchTimeout} after {@code timeout}. */
    static JsonNode follow(RunClient client, String runId, RunProgress.Plan plan, Duration timeout, Duration interval,
                           Display display) {
        return follow(client, runId, plan, timeout, interval, display, true);
    }

    private static JsonNode follow(RunClient client, String runId, RunProgress.Plan plan, Duration timeout, Duration interval,
                                   Display display, boolean hintOnExit) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Ctrl-C ends the CLI's watch, not the run: say so, and how to come back to it or stop it
        Thread hint = new Thread(() -> System.err.printf("%nStopped watching; run %s goes on: maspo status %1$s --watch, maspo cancel %1$s%n",
                runId), "maspo-watch-hint");
        if (hintOnExit) {
            Runtime.getRuntime().addShutdownHook(hint);
        }
        try (display) {
            while (true) {
                JsonNode run = client.get(runId);
                JsonNode history = client.history(runId);
                display.show(RunProgress.of(run, history, plan, Instant.now()));
                if (RunClient.TERMINAL_STATUSES.contains(run.path("status").asText())) {
                    return run;
                }
                if (System.nanoTime() > deadline) {
                    throw new Maspo.WatchTimeout("stopped watching after " + timeout.toSeconds() + " s: run " + runId
                            + " is still " + run.path("status").asText());
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            try {
                if (hintOnExit) {
                    Runtime.getRuntime().removeShutdownHook(hint);
                }
            } catch (IllegalStateException shuttingDown) {
                // the hint is being printed
            }
        }
    }

    /** A line per change, without redrawing: for pipes and logs. */
    static final class Lines implements Display {
        private final PrintWriter err;
        private String last;

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void show(RunProgress progress) {
            String withoutEta = progress.line().replaceFirst(" \\| ETA .*$", "");
            if (!withoutEta.equals(last)) {
                err.println(progress.line());
                err.flush();
                last = withoutEta;
            }
        }

        @Override
        public void close() {
        }
    }

    /** me.tongfei's progress bar on stderr, one per phase; its ETA is ours (the pace of the run, not of this watch). */
    static final class Bar implements Display {
        private ProgressBar bar;
        private boolean testing;
        private volatile Optional<Duration> eta = Optional.empty();

        @Override
        public void show(RunProgress progress) {
            if (bar == null || progress.testing() != testing) {
                if (bar != null) {
                    bar.stepTo(Math.max(bar.getCurrent(), bar.getMax())).close(); // the search is over: full, unless its total was unknown
                }
                testing = progress.testing();
                bar = new ProgressBarBuilder().setTaskName(testing ? "test" : "search")
                        .setInitialMax(progress.max())
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setUnit(testing ? " jobs" : " layers", 1)
                        .setUpdateIntervalMillis(500)
                        .setEtaFunction(state -> eta)
                        .build();
            }
            eta = progress.eta();
            bar.maxHint(progress.max());
            bar.stepTo(progress.current());
            bar.setExtraMessage(progress.detail());
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
