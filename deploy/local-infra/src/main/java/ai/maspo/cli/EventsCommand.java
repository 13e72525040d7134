package ai.maspo.cli;

import ai.maspo.infra.RunClient;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "events", description = {"Print a run's event stream (GET /api/v1/runs/{id}/events: phase, layer, best, refresh, cost, finished)",
        "until the run finished, one line per event: ID TYPE DATA. A dropped stream is resumed where it broke off (Last-Event-ID).",
        "Exit code 0 when the run COMPLETED, 1 when it FAILED or was STOPPED."})
final class EventsCommand implements Callable<Integer> {
    /** Pause before resuming a stream the server closed while the run goes on. */
    private static final long RECONNECT_MILLIS = 1000;

    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "run id")
    String runId;
    @Option(names = "--last-event-id", paramLabel = "EVENT", description = "start after this event (as a resumed stream does)")
    String lastEventId;
    @Option(names = "--json", description = "print only each event's data, one JSON document per line")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        RunClient client = maspo.client();
        PrintWriter out = spec.commandLine().getOut();
        String[] finalStatus = {null};
        String resumeFrom = lastEventId;
        while (true) {
            resumeFrom = client.events(runId, resumeFrom, event -> {
                out.println(json ? event.data() : (event.id() == null ? "-" : event.id()) + " " + event.type() + " " + event.data());
                out.flush();
                if ("finished".equals(event.type())) {
                    finalStatus[0] = statusOf(event.data());
                    return false;
                }
                return true;
            });
            if (finalStatus[0] == null) {
                // The stream ended without "finished": a restart or a proxy's timeout, or a run that ended meanwhile.
                String status = client.get(runId).path("status").asText();
                if (RunClient.TERMINAL_STATUSES.contains(status)) {
                    finalStatus[0] = status;
                }
            }
            if (finalStatus[0] != null) {
                return "COMPLETED".equals(finalStatus[0]) ? Maspo.OK : Maspo.RUN_FAILED;
            }
            Thread.sleep(RECONNECT_MILLIS);
        }
    }

    /** The run's final status from a "finished" event's data when it carries one, else from the run itself. */
    private String statusOf(String data) {
        try {
            JsonNode status = RunClient.json().readTree(data).path("status");
            if (status.isTextual()) {
                return status.asText();
            }
        } catch (Exception e) {
            // not JSON: ask the run itself
        }
        return maspo.client().get(runId).path("status").asText();
    }
}
