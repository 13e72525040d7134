package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Plays the rest of the platform around the engine: sends commands to the fake world, feeds results back in a
 * chosen order, keeps the history entries each transition hands over (as the orchestrator's table does), optionally
 * replays old results and restarts from the stored state.
 */
final class Driver {

    /**
     * @param history       every history entry, in the order the transitions handed them over
     * @param sent          every command the engine emitted, in emission order (re-sends after a restart not counted)
     * @param beforeBudget  the state the budget ran out in; null when it never did
     * @param maxStateChars the longest stored state of the search
     */
    record Result(SearchState state, List<HistoryEntry> history, List<SearchCommand> sent, SearchState beforeBudget,
                  int maxStateChars) {
        List<HistoryEntry.LayerRecord> layers() {
            return history.stream().filter(h -> h instanceof HistoryEntry.LayerRecord)
                    .map(h -> (HistoryEntry.LayerRecord) h).toList();
        }

        List<HistoryEntry.RefreshRecord> refreshes() {
            return history.stream().filter(h -> h instanceof HistoryEntry.RefreshRecord)
                    .map(h -> (HistoryEntry.RefreshRecord) h).toList();
        }

        <T extends SearchCommand> List<T> sent(Class<T> type) {
            return sent.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static final SearchStateFormat FORMAT = new SearchStateFormat(new ObjectMapper());

    /** Whether the budget runs out after {@code transitions}, in {@code state}, with {@code history} so far. */
    interface BudgetCheck {
        boolean test(int transitions, SearchState state, List<HistoryEntry> history);
    }

    private final FakeWorld world;
    /** 0 = answer in sending order; otherwise the seed of a random answering order. */
    private long shuffleSeed;
    private boolean replayOldResults;
    private boolean minibatchesLast;
    private int restartAfter = -1;
    private BudgetCheck budgetRunsOut = (transitions, state, history) -> false;
    private Predicate<SearchCommand> failing = command -> false;

    Driver(FakeWorld world) {
        this.world = world;
    }

    Driver shuffled(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /**
     * Answers a mini-batch request only when nothing else is in flight: a mini-batch requested ahead of its layer is
     * drawn when that layer begins, from the memory of that moment, as if it had not been requested early.
     */
    Driver minibatchesLast() {
        this.minibatchesLast = true;
        return this;
    }

    Driver replayingOldResults() {
        this.replayOldResults = true;
        return this;
    }

    Driver restartingAfter(int transitions) {
        this.restartAfter = transitions;
        return this;
    }

    /** These commands are answered {@link SearchEvent.CommandFailed}, as a worker does after its retries. */
    Driver failing(Predicate<SearchCommand> commands) {
        this.failing = commands;
        return this;
    }

    Driver budgetExhaustedAfter(int transitions) {
        this.budgetRunsOut = (done, state, history) -> done == transitions;
        return this;
    }

    /** The budget runs out in the first state (after an answer) that matches, given the history so far. */
    Driver budgetExhaustedWhen(BiPredicate<SearchState, List<HistoryEntry>> when) {
        this.budgetRunsOut = (done, state, history) -> when.test(state, history);
        return this;
    }

    Result run(SearchProblem problem) throws Exception {
        List<SearchCommand> sent = new ArrayList<>();
        List<SearchCommand> inFlight = new ArrayList<>();
        List<SearchEvent> answered = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        Seeds.Stream random = new Seeds.Stream(shuffleSeed);
        SearchEngine.Transition t = SearchEngine.start(problem);
        int maxStateChars = deliver(t, sent, inFlight, history);
        SearchState state = t.state();
        int transitions = 0;
        SearchState beforeBudget = null;
        while (!state.finished()) {
            assertThat(inFlight).as("engine waits for nothing but is not finished: step %s, outstanding %s, prefetched %s",
                    state.step() == null ? null : state.step().step() + " " + state.step().phase(),
                    state.outstanding().stream().map(SearchCommand::id).toList(), state.prefetched().keySet())
                    .isNotEmpty();
            SearchCommand command = inFlight.remove(next(inFlight, random));
            SearchEvent event = failing.test(command) ? new SearchEvent.CommandFailed(command.id(), "failed in test")
                    : world.answer(command);
            answered.add(event);
            SearchState previous = state;
            t = SearchEngine.apply(state, event);
            state = t.state();
            maxStateChars = Math.max(maxStateChars, deliver(t, sent, inFlight, history));
            transitions++;
            if (replayOldResults && random.nextInt(3) == 0) {
                // Applied again to the state before it, as after a crash that lost the transition before it was
                // stored: the same transition, history entries and their numbers included.
                assertThat(SearchEngine.apply(previous, event)).isEqualTo(t);
            }
            if (replayOldResults && !state.finished() && random.nextInt(3) == 0) {
                SearchEngine.Transition replay = SearchEngine.apply(state, answered.get(random.nextInt(answered.size())));
                assertThat(replay.commands()).isEmpty();
                assertThat(replay.history()).isEmpty();
                assertThat(replay.state()).isEqualTo(state);
            }
            if (transitions == restartAfter) {
                SearchStateFormat.Read restored = FORMAT.read(FORMAT.write(state));
                assertThat(restored.state()).isEqualTo(state);
                assertThat(restored.embeddedHistory()).isEmpty();
                state = restored.state();
                inFlight.addAll(state.outstanding()); // re-sent after the restart; the old ones may still arrive
            }
            if (!state.finished() && budgetRunsOut.test(transitions, state, List.copyOf(history))) {
                beforeBudget = state;
                t = SearchEngine.apply(state, new SearchEvent.BudgetExhausted("calls"));
                state = t.state();
                deliver(t, sent, inFlight, history);
            }
        }
        return new Result(state, List.copyOf(history), sent, beforeBudget, maxStateChars);
    }

    private int next(List<SearchCommand> inFlight, Seeds.Stream random) {
        if (minibatchesLast) {
            for (int i = 0; i < inFlight.size(); i++) {
                if (!(inFlight.get(i) instanceof SearchCommand.RequestMinibatch)) {
                    return i;
                }
            }
        }
        return shuffleSeed == 0 ? 0 : random.nextInt(inFlight.size());
    }

    /** Sends the transition's commands and keeps its history entries; returns the length of its stored state. */
    private int deliver(SearchEngine.Transition t, List<SearchCommand> sent, List<SearchCommand> inFlight,
                        List<HistoryEntry> history) {
        history.addAll(t.history());
        assertThat(t.state().historySize()).as("entries numbered in order").isEqualTo(history.size());
        for (SearchCommand command : t.commands()) {
            sent.add(command);
            if (command instanceof SearchCommand.RecordMisalignment record) {
                world.accept(record);
            } else if (command.awaitsResult()) {
                inFlight.add(command);
            }
        }
        return FORMAT.write(t.state()).length();
    }
}
