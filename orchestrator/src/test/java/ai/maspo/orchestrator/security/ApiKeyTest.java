package ai.maspo.orchestrator.security;

import ai.maspo.infra.test.KafkaTestResource;
import ai.maspo.infra.test.PostgresTestResource;
import ai.maspo.orchestrator.testsupport.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** API keys: created and revoked by admins only, shown once, stored hashed, accepted in either header. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.USER_ARG, value = "orchestrator"))
@QuarkusTestResource(PostgresTestResource.class)
class ApiKeyTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "maspo.auth.bootstrap-admin-key")
    String bootstrapKey;

    @Test
    void aKeyWorksInEitherHeaderUntilItIsRevoked() {
        JsonPath created = TestAuth.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("owner", "script-bob", "description", "nightly benchmark"))
                .post("/api/v1/admin/api-keys").then().statusCode(201)
                .body("apiKey.owner", equalTo("script-bob")).body("apiKey.createdBy", equalTo(TestAuth.ADMIN))
                .extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("apiKey.id");
        assertThat(key).startsWith("mk_" + id + "_");

        TestAuth.withApiKey(key).get("/api/v1/runs").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/v1/runs").then().statusCode(200);
        TestAuth.asAdmin().get("/api/v1/admin/api-keys").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.lastUsedAt", notNullValue())
                .body("key", not(hasItem(notNullValue())));

        TestAuth.asAdmin().delete("/api/v1/admin/api-keys/" + id).then().statusCode(200).body("revokedAt", notNullValue());
        TestAuth.withApiKey(key).get("/api/v1/runs").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/v1/runs").then().statusCode(401);
        TestAuth.asAdmin().delete("/api/v1/admin/api-keys/nope").then().statusCode(404);
    }

    @Test
    void unknownAndMalformedKeysAre401() {
        TestAuth.withApiKey(ApiKeyToken.generate().value()).get("/api/v1/runs").then().statusCode(401);
        TestAuth.withApiKey("mk_short").get("/api/v1/runs").then().statusCode(401);
        TestAuth.withApiKey("hunter2").get("/api/v1/runs").then().statusCode(401);
        String existing = TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("owner", "carol"))
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("key");
        char last = existing.charAt(existing.length() - 1);
        String wrongSecret = existing.substring(0, existing.length() - 1) + (last == 'A' ? 'B' : 'A');
        TestAuth.withApiKey(existing).get("/api/v1/runs").then().statusCode(200);
        TestAuth.withApiKey(wrongSecret).get("/api/v1/runs").then().statusCode(401);
    }

    @Test
    void onlyTheHashOfTheSecretIsStored() throws Exception {
        String key = TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("owner", "dave", "roles", List.of("reader")))
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("key");
        ApiKeyToken token = ApiKeyToken.parse(key).orElseThrow();

        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT * FROM orchestrator.api_key WHERE id = ?")) {
            select.setString(1, token.id());
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString("secret_hash")).isEqualTo(token.secretHash()).hasSize(64);
                assertThat(row.getString("owner")).isEqualTo("dave");
                assertThat(row.getString("roles")).isEqualTo("reader");
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    values.add(row.getString(i));
                }
            }
        }
        assertThat(values).noneMatch(v -> v != null && (v.contains(token.secret()) || v.contains(key)));
    }

    @Test
    void onlyAdminsManageKeys() {
        TestAuth.given().get("/api/v1/admin/api-keys").then().statusCode(403);
        TestAuth.given().contentType(ContentType.JSON).body(Map.of("owner", "alice")).post("/api/v1/admin/api-keys")
                .then().statusCode(403);
        TestAuth.given().delete("/api/v1/admin/api-keys/whatever").then().statusCode(403);
        String plainKey = TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("owner", "erin"))
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("key");
        TestAuth.withApiKey(plainKey).get("/api/v1/admin/api-keys").then().statusCode(403);
        String adminKey = TestAuth.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("owner", "ops", "roles", List.of(TestAuth.ADMIN_ROLE)))
                .post("/api/v1/admin/api-keys").then().statusCode(201).extract().path("key");
        TestAuth.withApiKey(adminKey).get("/api/v1/admin/api-keys").then().statusCode(200);
    }

    @Test
    void theBootstrapKeyFromConfigurationIsAnAdminKey() {
        TestAuth.withApiKey(bootstrapKey).get("/api/v1/admin/api-keys").then().statusCode(200)
                .body("find { it.createdBy == 'configuration' }.owner", equalTo("admin"));
    }

    @Test
    void aKeyRequestNamesTheFieldAtFault() {
        TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("description", "no owner"))
                .post("/api/v1/admin/api-keys").then().statusCode(400).body("violations[0].field", equalTo("owner"));
        TestAuth.asAdmin().contentType(ContentType.JSON).body(Map.of("owner", "x", "roles", List.of("a,b")))
                .post("/api/v1/admin/api-keys").then().statusCode(400).body("violations[0].field", equalTo("roles[0]"));
    }
}
