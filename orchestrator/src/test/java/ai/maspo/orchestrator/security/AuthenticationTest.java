package ai.maspo.orchestrator.security;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

/** Who gets in: bearer JWTs are verified (signature, issuer, expiry), everything but health needs credentials. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class AuthenticationTest {

    /** relative to the management root, /q */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL managementHealth;

    @TestHTTPResource(value = "/metrics", management = true)
    URL managementMetrics;

    @Test
    void withoutCredentialsEveryApiCallIs401WithABearerChallenge() {
        RestAssured.given().get("/api/v1/runs").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        RestAssured.given().get("/api/v1/runs/some-id/history").then().statusCode(401);
        RestAssured.given().get("/api/v1/datasets").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/v1/runs").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/v1/datasets").then().statusCode(401);
        RestAssured.given().get("/api/v1/admin/api-keys").then().statusCode(401);
    }

    @Test
    void aValidTokenGetsIn() {
        TestAuth.given().get("/api/v1/runs").then().statusCode(200);
    }

    @Test
    void aMalformedTokenIs401() {
        TestAuth.withToken("not-a-jwt").get("/api/v1/runs").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        TestAuth.withToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.").get("/api/v1/runs").then().statusCode(401);
        RestAssured.given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").get("/api/v1/runs").then().statusCode(401);
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() {
        String forged = TestAuth.claims(TestAuth.ADMIN, TestAuth.ADMIN_ROLE).sign(TestAuth.key("test-jwt/other-private.pem"));
        TestAuth.withToken(forged).get("/api/v1/runs").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIs401() {
        Instant past = Instant.now().minusSeconds(3600);
        String expired = TestAuth.claims(TestAuth.USER).issuedAt(past.minusSeconds(600)).expiresAt(past)
                .sign(TestAuth.key("test-jwt/private.pem"));
        TestAuth.withToken(expired).get("/api/v1/runs").then().statusCode(401);
    }

    @Test
    void aTokenFromAnotherIssuerIs401() {
        String foreign = TestAuth.claims(TestAuth.USER).issuer("https://evil.example").sign(TestAuth.key("test-jwt/private.pem"));
        TestAuth.withToken(foreign).get("/api/v1/runs").then().statusCode(401);
    }

    @Test
    void healthAndMetricsAreOpenOnTheManagementPortOnly() throws Exception {
        URL apiOnManagementPort = new URL(managementHealth, "/api/v1/runs");
        RestAssured.given().get(managementHealth).then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.given().get(managementMetrics).then().statusCode(200);
        RestAssured.given().get(apiOnManagementPort).then().statusCode(404);
        TestAuth.given().get(apiOnManagementPort).then().statusCode(404);
        // On the API port health needs credentials like anything else, and is not there even with them.
        RestAssured.given().get("/q/health/ready").then().statusCode(401);
        TestAuth.given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void theOpenApiDocumentIsPublicAndDeclaresBothSchemes() {
        RestAssured.given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes", hasKey("bearerJwt"))
                .body("components.securitySchemes", hasKey("apiKey"))
                .body("components.securitySchemes.bearerJwt.scheme", equalTo("bearer"))
                .body("components.securitySchemes.apiKey.in", equalTo("header"))
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"));
    }
}
