package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium}, driven by Debian's {@code chromedriver}; the
 * paths are given so that Selenium never looks for, or downloads, a driver or a browser): log in with an API key,
 * submit a run from a spec file, watch its first steps arrive while {@link WireWorld} holds the run, then its end,
 * and compare what the page shows with what the API says; cancel a second run from its page. The run page's screenshot is left in
 * {@code target/dashboard-run.png} (docs/images/dashboard-run.png is a copy).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofMinutes(1);
    /** As in RunEventsTest: the run waits for this mini-batch after its first 3 steps. */
    private static final String HELD = "/minibatch/predictor/L2";

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource("/ui/")
    URL page;

    private ChromeDriver browser;
    private WebDriverWait wait;

    private void startBrowser() {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver)").isExecutable();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,2500", "--lang=en-US");
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aRunSubmittedThroughThePageIsFollowedLiveAndShowsWhatTheApiSays() throws IOException {
        startBrowser();
        String key = TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("owner", "dashboard-user"))
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("key");
        browser.get(page.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(key);
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runs-view")));

        Path spec = Files.createTempFile("dashboard-run", ".json");
        Map<String, Object> runSpec = RunSpecs.reflect(4, 2, 2);
        runSpec.put("name", "dashboard-test");
        RunSpecs.at(runSpec, "search").putAll(Map.of("layersPerAgent", 3, "layersPerTurn", 1, "beamWidth", 2,
                "candidatesPerNode", 1));
        Files.writeString(spec, mapper.writeValueAsString(runSpec));
        browser.findElement(By.id("spec-file")).sendKeys(spec.toString());
        browser.findElement(By.id("submit-run")).click();
        wait.until(ExpectedConditions.urlContains("#/runs/"));
        String runId = browser.getCurrentUrl().replaceFirst(".*#/runs/", "");
        TestAuth.withApiKey(key).get("/api/v1/runs/" + runId).then().statusCode(200);

        try (WireWorld world = new WireWorld(mapper, runId).holding(requestId -> requestId.endsWith(HELD))) {
            world.playUntil(() -> world.heldRequests() > 0 && history(key, runId).size() == 3, WAIT);
            // Held after 3 steps: the page has them from the live stream, the run is still going.
            wait.until(b -> stepRows("layer").size() == 2 && stepRows("refresh").size() == 1);
            assertThat(chartPoints("chart-scores")).containsExactly("predictor:1", "reflector:1");
            assertThat(text("run-status")).isEqualTo("RUNNING");
            assertThat(text("progress-text")).startsWith("3 of 10 search steps");
            world.release();
            world.playUntil(() -> "COMPLETED".equals(TestAuth.withApiKey(key).get("/api/v1/runs/" + runId)
                    .then().extract().path("status")), WAIT);
        }
        wait.until(b -> "ended".equals(text("stream-state")) && "COMPLETED".equals(text("run-status")));

        JsonNode history = history(key, runId);
        List<JsonNode> layers = new ArrayList<>();
        history.forEach(step -> {
            if (step.get("type").asText().equals("layer")) {
                layers.add(step);
            }
        });
        List<WebElement> rows = stepRows("layer");
        assertThat(rows).hasSize(layers.size()).hasSize(6);
        for (int i = 0; i < layers.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertThat(cells.get(2).getText()).isEqualTo(layers.get(i).get("agent").asText());
            assertThat(cells.get(4).getText()).as("top J of layer %d", i)
                    .isEqualTo(String.format(Locale.ROOT, "%.3f", layers.get(i).at("/beamAfter/0/score").asDouble()));
        }
        assertThat(chartPoints("chart-scores")).containsExactly("predictor:3", "reflector:3");
        assertThat(chartPoints("chart-proposals")).allMatch(s -> s.endsWith(":6"));
        JsonNode run = mapper.readTree(TestAuth.withApiKey(key).get("/api/v1/runs/" + runId).then().extract().asString());
        assertThat(text("accuracy-seed")).isEqualTo(percent(run.get("seedAccuracy").asDouble()));
        assertThat(text("accuracy-optimized")).isEqualTo(percent(run.get("optimizedAccuracy").asDouble()));
        assertThat(text("progress-text")).isEqualTo("10 of 10 search steps · finished: COMPLETED ("
                + run.get("finishReason").asText() + ")");
        for (String agent : List.of("predictor", "reflector")) {
            String heading = browser.findElement(By.cssSelector("#diff [data-agent='" + agent + "'] h3")).getText();
            boolean unchanged = run.at("/bestPrompts/" + agent).asText()
                    .equals(RunSpecs.at(runSpec, "mas", "agents", agent.equals("predictor") ? "0" : "1").get("prompt"));
            assertThat(heading).isEqualTo(agent + (unchanged ? " (unchanged)" : ""));
        }
        assertThat(browser.findElement(By.id("cancel-run")).isDisplayed()).isFalse();
        Files.write(Path.of("target", "dashboard-run.png"), browser.getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.cssSelector("header .brand")).click();
        wait.until(b -> !b.findElements(By.cssSelector("#runs-table tr[data-run-id='" + runId + "']")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#runs-table tr[data-run-id='" + runId + "'] .status")).getText())
                .isEqualTo("COMPLETED");
    }

    /** A second run, held mid-search, is cancelled from its page: the page and the API both say STOPPED. */
    @Test
    void aRunningRunIsCancelledFromItsPage() throws IOException {
        startBrowser();
        String key = TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("owner", "dashboard-canceller"))
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("key");
        browser.get(page.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(key);
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runs-view")));
        Path spec = Files.createTempFile("dashboard-cancel", ".json");
        Map<String, Object> runSpec = RunSpecs.reflect(4, 2, 2);
        runSpec.put("name", "dashboard-cancel-test");
        Files.writeString(spec, mapper.writeValueAsString(runSpec));
        browser.findElement(By.id("spec-file")).sendKeys(spec.toString());
        browser.findElement(By.id("submit-run")).click();
        wait.until(ExpectedConditions.urlContains("#/runs/"));
        String runId = browser.getCurrentUrl().replaceFirst(".*#/runs/", "");

        try (WireWorld world = new WireWorld(mapper, runId).holding(requestId -> requestId.endsWith(HELD))) {
            world.playUntil(() -> world.heldRequests() > 0, WAIT);
            wait.until(b -> "RUNNING".equals(text("run-status")) && b.findElement(By.id("cancel-run")).isDisplayed());
            long clicked = System.nanoTime();
            browser.findElement(By.id("cancel-run")).click();
            wait.until(b -> "STOPPED".equals(text("run-status")));
            long shown = System.nanoTime();
            JsonNode run = mapper.readTree(TestAuth.withApiKey(key).get("/api/v1/runs/" + runId).then()
                    .statusCode(200).extract().asString());
            assertThat(run.get("status").asText()).isEqualTo("STOPPED");
            assertThat(run.get("finishReason").asText()).startsWith("cancelled by");
            assertThat(browser.findElement(By.id("cancel-run")).isDisplayed()).isFalse();
            System.out.printf("dashboard: cancel clicked -> STOPPED shown in %d ms%n", (shown - clicked) / 1_000_000);
        }
    }

    /** The page and its scripts hold no data and need no credentials; what they call does. */
    @Test
    void thePageIsPublicAndTheApiItCallsIsNot() {
        RestAssured.given().redirects().follow(false).get("/").then().statusCode(200)
                .body(containsString("url=/ui/"));
        String html = RestAssured.given().get("/ui/").then().statusCode(200).contentType(ContentType.HTML)
                .header("Content-Security-Policy", startsWith("default-src 'self';")).extract().asString();
        String chartJs = html.replaceFirst("(?s).*<script src=\"(/webjars/chart\\.js/[^\"]+)\".*", "$1");
        assertThat(chartJs).matches("/webjars/chart\\.js/\\d+\\.\\d+\\.\\d+/dist/chart\\.umd\\.min\\.js");
        RestAssured.given().get(chartJs).then().statusCode(200);
        RestAssured.given().get("/ui/dashboard.js").then().statusCode(200);
        RestAssured.given().get("/api/v1/runs").then().statusCode(401);
    }

    private JsonNode history(String key, String runId) {
        try {
            return mapper.readTree(TestAuth.withApiKey(key).get("/api/v1/runs/" + runId + "/history").then()
                    .statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<WebElement> stepRows(String type) {
        return browser.findElements(By.cssSelector("#steps-table tbody tr[data-type='" + type + "']"));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** "label:points" for each dataset of a Chart.js chart, read from the page's own chart object. */
    @SuppressWarnings("unchecked")
    private List<String> chartPoints(String canvasId) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Chart.getChart(arguments[0]).data.datasets.map(d => d.label + ':' + d.data.length)", canvasId);
    }

    private static String percent(double accuracy) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * accuracy);
    }
}
