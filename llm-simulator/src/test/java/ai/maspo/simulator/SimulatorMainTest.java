package ai.maspo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        SimulatorOptions options = SimulatorMain.parse(
                new String[] {"--port", "0", "--rate-429=0.2", "--latency-ms", "5", "--scenario-dir", "/tmp/s"},
                Map.of("MASPO_SIM_RATE_429", "0.5", "MASPO_SIM_RATE_500", "0.1", "MASPO_SIM_HANG_MS", "777"));
        assertThat(options).isEqualTo(new SimulatorOptions(0, Path.of("/tmp/s"), 5, 0, 0.2, 0.1, 0, 0, 777, null));
        assertThat(SimulatorMain.parse(new String[0], Map.of()).port()).isEqualTo(SimulatorMain.DEFAULT_PORT);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(SimulatorMain.parse(new String[0], Map.of("MASPO_SIM_HOST", "0.0.0.0")).host()).isEqualTo("0.0.0.0");
    }

    @Test
    void badFlagsAreRefused() {
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--colour", "red"}, Map.of())).hasMessageContaining("--colour");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("missing value");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--rate-500", "0.7", "--rate-429", "0.7"}, Map.of()))
                .hasMessageContaining("sum to at most 1");
    }

    @Test
    void theProcessPrintsItsUrlServesAndStopsOnSigterm() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SimulatorMain.class.getName(), "--port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher ready = Pattern.compile("LLM simulator listening on (http://127\\.0\\.0\\.1:\\d+/v1)").matcher(line);
            assertThat(ready.matches()).as(line).isTrue();
            HttpResponse<String> models = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ready.group(1) + "/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(models.body()).contains("sim-default");

            process.destroy(); // SIGTERM: the shutdown hook closes the server, the JVM exits (status 143)
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
    }
}
