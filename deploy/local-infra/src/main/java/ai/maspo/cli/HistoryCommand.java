package ai.maspo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "history", description = "Show a run's search history: one row per layer or beam refresh, in the order of the search.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "run id")
    String runId;
    @Option(names = "--json", description = "print the whole history as the API gives it (beams, candidates, prompts)")
    boolean json;

    @Override
    public Integer call() {
        JsonNode history = maspo.client().history(runId);
        spec.commandLine().getOut().print(json ? history.toPrettyString() + "\n" : Views.historyTable(history));
        spec.commandLine().getOut().flush();
        return Maspo.OK;
    }
}
