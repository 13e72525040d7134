package ai.maspo.orchestrator.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;

/**
 * Authenticated requests for the orchestrator's tests: JWTs signed with the test key pair the test profile trusts
 * ({@code %test.mp.jwt.verify.*}). {@code given()} replaces RestAssured's and acts as {@link #USER}.
 */
public final class TestAuth {

    public static final String ISSUER = "maspo-test";
    public static final String USER = "alice";
    public static final String ADMIN = "root-admin";
    public static final String ADMIN_ROLE = "maspo-admin";

    private TestAuth() {
    }

    /** a request as the default test user */
    public static RequestSpecification given() {
        return as(USER);
    }

    /** a request as {@code subject} with these groups (roles) */
    public static RequestSpecification as(String subject, String... groups) {
        return withToken(token(subject, groups));
    }

    public static RequestSpecification asAdmin() {
        return as(ADMIN, ADMIN_ROLE);
    }

    public static RequestSpecification withToken(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification withApiKey(String key) {
        return RestAssured.given().header("X-API-Key", key);
    }

    public static String token(String subject, String... groups) {
        return claims(subject, groups).sign(key("test-jwt/private.pem"));
    }

    /** valid claims for one hour, to alter (issuer, expiry...) before signing */
    public static JwtClaimsBuilder claims(String subject, String... groups) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(groups)).expiresIn(Duration.ofHours(1));
    }

    /** {@code test-jwt/private.pem} is the trusted key, {@code test-jwt/other-private.pem} one nobody trusts */
    public static PrivateKey key(String classpathPem) {
        try {
            return KeyUtils.readPrivateKey(classpathPem);
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + classpathPem, e);
        }
    }
}
