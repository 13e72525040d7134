package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.protocol.EvaluationRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static ai.maspo.orchestrator.testsupport.TestAuth.asAdmin;
import static ai.maspo.orchestrator.testsupport.TestAuth.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * PostgreSQL unreachable while results arrive (postmaster frozen, sessions cut): the reply consumer retries them in place instead of dead-lettering them,
 * the API answers 503 with Retry-After meanwhile, and once the server is back the run carries on and completes.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class DatabaseOutageTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void resultsArrivingDuringAnOutageAreAppliedAfterItAndNothingIsDeadLettered() throws Exception {
        WirePlayer player = new WirePlayer(mapper);
        String runId = player.submit("outage-" + UUID.randomUUID());
        List<EvaluationRequest> baseline = player.drawMinibatch(runId);

        try (PostgresOutage outage = PostgresOutage.begin()) {
            player.answer(baseline.get(0), player.baselineAnswer(baseline.get(0)));
            player.answer(baseline.get(1), player.baselineAnswer(baseline.get(1)));
            given().get("/api/v1/runs/" + runId).then().statusCode(503).header("Retry-After", notNullValue());
            Thread.sleep(Duration.ofSeconds(10)); // the consumer meets the outage and keeps retrying
            outage.end();
        }

        // Both answers were applied after the outage: the budget of 5 calls is crossed and the test set measured.
        player.finishTesting(runId);
        asAdmin().get("/api/v1/admin/dlq/maspo.evaluation-results.dlq?limit=500").then().statusCode(200)
                .body("records.key", everyItem(not(equalTo(runId))));
    }
}
