package ai.maspo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", description = "List your runs (an admin's: all), newest first.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Option(names = "--status", paramLabel = "STATUS", description = "only runs with this status (PENDING, RUNNING, COMPLETED, FAILED, STOPPED)")
    String status;
    @Option(names = "--page", paramLabel = "N", description = "page of the list (0 is the first; default 0)")
    Integer page;
    @Option(names = "--size", paramLabel = "N", description = "runs per page (1-100; default 20)")
    Integer size;
    @Option(names = "--json", description = "print the API's answer")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        if (page != null) {
            query.put("page", page.toString());
        }
        if (size != null) {
            query.put("size", size.toString());
        }
        if (status != null) {
            query.put("status", status.toUpperCase(java.util.Locale.ROOT));
        }
        JsonNode answer = maspo.client().list(query);
        if (json) {
            spec.commandLine().getOut().println(answer.toPrettyString());
            return Maspo.OK;
        }
        List<JsonNode> runs = new ArrayList<>();
        answer.path("items").forEach(runs::add); // the page envelope: items, page, size, totalItems, totalPages
        spec.commandLine().getOut().print(Views.runTable(runs));
        spec.commandLine().getOut().flush();
        return Maspo.OK;
    }
}
