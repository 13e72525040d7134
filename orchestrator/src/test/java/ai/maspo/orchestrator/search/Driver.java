package ai.maspo.orchestrator.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Plays the rest of the platform around the engine: sends commands to the fake world, feeds results back in a
 * chosen order, optionally replays old results and restarts from the serialized state.
 */
final class Driver {

    /**
     * @param sent         every command the engine emitted, in emission order (re-sends after a restart not counted)
     * @param beforeBudget the state the budget ran out in; null when it never did
     */
    record Result(SearchState state, List<SearchCommand> sent, SearchState beforeBudget) {
        List<HistoryEntry.LayerRecord> layers() {
            return state.history().stream().filter(h -> h instanceof HistoryEntry.LayerRecord)
                    .map(h -> (HistoryEntry.LayerRecord) h).toList();
        }

        List<HistoryEntry.RefreshRecord> refreshes() {
            return state.history().stream().filter(h -> h instanceof HistoryEntry.RefreshRecord)
                    .map(h -> (HistoryEntry.RefreshRecord) h).toList();
        }

        <T extends SearchCommand> List<T> sent(Class<T> type) {
            return sent.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final FakeWorld world;
    /** 0 = answer in sending order; otherwise the seed of a random answering order. */
    private long shuffleSeed;
    private boolean replayOldResults;
    private boolean minibatchesLast;
    private int restartAfter = -1;
    private BiPredicate<Integer, SearchState> budgetRunsOut = (transitions, state) -> false;
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
        this.budgetRunsOut = (done, state) -> done == transitions;
        return this;
    }

    /** The budget runs out in the first state (after an answer) that matches. */
    Driver budgetExhaustedWhen(Predicate<SearchState> when) {
        this.budgetRunsOut = (done, state) -> when.test(state);
        return this;
    }

    Result run(SearchProblem problem) throws Exception {
        List<SearchCommand> sent = new ArrayList<>();
        List<SearchCommand> inFlight = new ArrayList<>();
        List<SearchEvent> answered = new ArrayList<>();
        Seeds.Stream random = new Seeds.Stream(shuffleSeed);
        SearchEngine.Transition t = SearchEngine.start(problem);
        deliver(t.commands(), sent, inFlight);
        SearchState state = t.state();
        int transitions = 0;
        SearchState beforeBudget = null;
        while (!state.finished()) {
            assertThat(inFlight).as("engine waits for nothing but is not finished: step %s, outstanding %s, prefetched %s", state.step() == null ? null : state.step().step() + " " + state.step().phase(), state.outstanding().stream().map(SearchCommand::id).toList(), state.prefetched().keySet()).isNotEmpty();
            SearchCommand command = inFlight.remove(next(inFlight, random));
            SearchEvent event = failing.test(command) ? new SearchEvent.CommandFailed(command.id(), "failed in test")
                    : world.answer(command);
            answered.add(event);
            t = SearchEngine.apply(state, event);
            state = t.state();
            deliver(t.commands(), sent, inFlight);
            transitions++;
            if (replayOldResults && !state.finished() && random.nextInt(3) == 0) {
                SearchEngine.Transition replay = SearchEngine.apply(state, answered.get(random.nextInt(answered.size())));
                assertThat(replay.commands()).isEmpty();
                assertThat(replay.state()).isEqualTo(state);
            }
            if (transitions == restartAfter) {
                SearchState restored = JSON.readValue(JSON.writeValueAsString(state), SearchState.class);
                assertThat(restored).isEqualTo(state);
                state = restored;
                inFlight.addAll(state.outstanding()); // re-sent after the restart; the old ones may still arrive
            }
            if (!state.finished() && budgetRunsOut.test(transitions, state)) {
                beforeBudget = state;
                t = SearchEngine.apply(state, new SearchEvent.BudgetExhausted("calls"));
                state = t.state();
                deliver(t.commands(), sent, inFlight);
            }
        }
        return new Result(state, sent, beforeBudget);
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

    private void deliver(List<SearchCommand> commands, List<SearchCommand> sent, List<SearchCommand> inFlight) {
        for (SearchCommand command : commands) {
            sent.add(command);
            if (command instanceof SearchCommand.RecordMisalignment record) {
                world.accept(record);
            } else if (command.awaitsResult()) {
                inFlight.add(command);
            }
        }
    }
}
