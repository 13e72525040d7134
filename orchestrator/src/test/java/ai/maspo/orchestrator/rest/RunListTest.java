package ai.maspo.orchestrator.rest;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * The run list's pages, orders and filters, on five runs of an owner of their own (so other tests' runs do not
 * count), and its refusals of bad parameters.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class RunListTest {

    private static final String OWNER = "lister-" + UUID.randomUUID();
    /** in every name, so an admin can find these runs among all */
    private static final String TAG = "t" + UUID.randomUUID().toString().substring(0, 8);
    /** submitted in this order: the newest is last */
    private static final List<String> NAMES = List.of("Alpha one " + TAG, "beta two " + TAG, "GAMMA three " + TAG,
            "delta_four " + TAG, "epsilon 100% " + TAG);
    private static boolean submitted;

    /** Once for the class, when the application is up (a JUnit {@code @BeforeAll} would run before it is). */
    @BeforeEach
    void submitFiveRunsOnce() {
        if (submitted) {
            return;
        }
        submitted = true;
        List<String> strategies = List.of("maspo", "spo", "maspo", "topological", "maspo");
        for (int i = 0; i < NAMES.size(); i++) {
            Map<String, Object> spec = RunSpecs.reflect(4, 2, 2);
            spec.put("name", NAMES.get(i));
            RunSpecs.at(spec, "search").put("strategy", strategies.get(i));
            String id = caller().contentType(ContentType.JSON).body(spec).post("/api/v1/runs").then().statusCode(201)
                    .extract().path("id");
            if (i == 1) {
                caller().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
            }
        }
    }

    @Test
    void aPageIsNewestFirstWithTheTotal() {
        caller().get("/api/v1/runs").then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(20))
                .body("totalItems", equalTo(5)).body("totalPages", equalTo(1))
                .body("items.name", equalTo(reversed(NAMES)))
                .body("items.owner", equalTo(List.of(OWNER, OWNER, OWNER, OWNER, OWNER)));
    }

    @Test
    void pagesSplitTheListWithoutOverlap() {
        assertThat(page("size=2&page=0")).containsExactly(NAMES.get(4), NAMES.get(3));
        assertThat(page("size=2&page=1")).containsExactly(NAMES.get(2), NAMES.get(1));
        assertThat(page("size=2&page=2")).containsExactly(NAMES.get(0));
        caller().get("/api/v1/runs?size=2&page=3").then().statusCode(200)
                .body("items", empty()).body("page", equalTo(3)).body("totalItems", equalTo(5))
                .body("totalPages", equalTo(3));
        caller().get("/api/v1/runs?size=100&page=1000000").then().statusCode(200).body("items", empty());
    }

    @Test
    void sortsByNameIgnoringCaseByStatusAndByDate() {
        List<String> byName = List.of(NAMES.get(0), NAMES.get(1), NAMES.get(3), NAMES.get(4), NAMES.get(2));
        assertThat(page("sort=name")).isEqualTo(byName);
        assertThat(page("sort=name&direction=desc")).isEqualTo(reversed(byName));
        assertThat(page("sort=createdAt&direction=asc")).isEqualTo(NAMES);
        assertThat(page("sort=createdAt")).isEqualTo(reversed(NAMES));
        // RUNNING before STOPPED; within a status newest first
        assertThat(page("sort=status")).containsExactly(NAMES.get(4), NAMES.get(3), NAMES.get(2), NAMES.get(0),
                NAMES.get(1));
        assertThat(page("sort=status&direction=DESC").getFirst()).isEqualTo(NAMES.get(1));
    }

    @Test
    void filtersByStatusStrategyAndName() {
        assertThat(page("status=STOPPED")).containsExactly(NAMES.get(1));
        assertThat(page("status=running")).hasSize(4);
        assertThat(page("status=RUNNING,STOPPED")).hasSize(5);
        assertThat(page("status=COMPLETED&status=FAILED")).isEmpty();
        assertThat(page("strategy=spo")).containsExactly(NAMES.get(1));
        assertThat(page("strategy=maspo&strategy=topological")).containsExactly(NAMES.get(4), NAMES.get(3),
                NAMES.get(2), NAMES.get(0));
        assertThat(page("name=gamma")).containsExactly(NAMES.get(2));
        assertThat(page("name=%25")).as("%% is a plain character").containsExactly(NAMES.get(4));
        assertThat(page("name=_")).as("_ is a plain character").containsExactly(NAMES.get(3));
        assertThat(page("name=")).as("an empty value is absent").hasSize(5);
        assertThat(page("status=RUNNING&strategy=maspo&sort=name")).containsExactly(NAMES.get(0), NAMES.get(4),
                NAMES.get(2));
        caller().get("/api/v1/runs?strategy=maspo&size=2").then().body("totalItems", equalTo(3))
                .body("totalPages", equalTo(2));
    }

    @Test
    void othersSeeNoneOfTheseRunsAndAnAdminSeesAll() {
        TestAuth.as("someone-else").get("/api/v1/runs?name=" + TAG).then().statusCode(200)
                .body("totalItems", equalTo(0)).body("items", empty());
        TestAuth.asAdmin().get("/api/v1/runs?name=" + TAG).then().statusCode(200)
                .body("totalItems", equalTo(5)).body("items.name", containsInAnyOrder(NAMES.toArray()));
    }

    @Test
    void badParametersAre400NamingEachOne() {
        refused("page=-1", "query.page", "must be an integer from 0 to 1000000");
        refused("page=1000001", "query.page", "must be an integer from 0 to 1000000");
        refused("page=abc", "query.page", "must be an integer from 0 to 1000000");
        refused("page=1.5", "query.page", "must be an integer from 0 to 1000000");
        refused("page=99999999999999999999", "query.page", "must be an integer from 0 to 1000000");
        refused("size=0", "query.size", "must be an integer from 1 to 100");
        refused("size=101", "query.size", "must be an integer from 1 to 100");
        refused("sort=owner", "query.sort", "unknown value 'owner' (known: createdAt, name, status)");
        refused("direction=up", "query.direction", "must be one of [asc, desc]");
        refused("status=DONE", "query.status",
                "unknown value 'DONE' (known: PENDING, RUNNING, COMPLETED, FAILED, STOPPED)");
        refused("status=RUNNING,,nope", "query.status",
                "unknown value 'nope' (known: PENDING, RUNNING, COMPLETED, FAILED, STOPPED)");
        refused("strategy=gepa", "query.strategy", "unknown value 'gepa' (known: maspo, maspo-no-lookahead, "
                + "maspo-local-only, maspo-no-misalignment-sampling, maspo-success-case-sampling, "
                + "maspo-no-beam-refresh, single-cycle, serial-search, spo, topological, maspo-guarded)");
        refused("name=" + "x".repeat(201), "query.name", "at most 200 characters");
        refused("limit=5", "query.limit", "unknown parameter (known: page, size, sort, direction, status, "
                + "strategy, name)");
        refused("page=1&page=2", "query.page", "given more than once");
        refused("sort=" + "s".repeat(80), "query.sort", "unknown value '" + "s".repeat(50) + "...' (known: "
                + "createdAt, name, status)");

        caller().get("/api/v1/runs?page=-1&size=500&sort=owner&direction=up&status=DONE&strategy=gepa&x=1")
                .then().statusCode(400).body("error", equalTo("invalid request"))
                .body("violations.field", containsInAnyOrder("query.page", "query.size", "query.sort",
                        "query.direction", "query.status", "query.strategy", "query.x"));
    }

    private void refused(String query, String field, String message) {
        caller().get("/api/v1/runs?" + query).then().statusCode(400)
                .body("error", equalTo("invalid request"))
                .body("violations.field", equalTo(List.of(field)))
                .body("violations.message", equalTo(List.of(message)));
    }

    private List<String> page(String query) {
        return caller().get("/api/v1/runs?" + query).then().statusCode(200).extract().jsonPath()
                .getList("items.name", String.class);
    }

    private RequestSpecification caller() {
        return TestAuth.as(OWNER).urlEncodingEnabled(false);
    }

    private static List<String> reversed(List<String> list) {
        return list.reversed();
    }
}
