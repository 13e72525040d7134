package ai.maspo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", description = "Print (or write to a file) a run's optimized prompts as a JSON document.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Maspo maspo;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "run id")
    String runId;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the document to FILE instead of stdout")
    Path output;

    @Override
    public Integer call() {
        JsonNode document = maspo.client().export(runId);
        if (output == null) {
            spec.commandLine().getOut().println(document.toPrettyString());
            return Maspo.OK;
        }
        try {
            Files.writeString(output, document.toPrettyString() + "\n");
        } catch (IOException e) {
            throw new Maspo.UsageException("cannot write " + output + ": " + e);
        }
        spec.commandLine().getErr().println("Wrote " + output);
        return Maspo.OK;
    }
}
