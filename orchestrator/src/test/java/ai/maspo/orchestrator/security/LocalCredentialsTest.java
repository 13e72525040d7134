package ai.maspo.orchestrator.security;

import ai.maspo.infra.LocalCredentials;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the local stack hands out is what this orchestrator accepts: its JWTs verify with smallrye-jwt, its key parses. */
class LocalCredentialsTest {

    @Test
    void theLocalStacksTokenVerifiesAgainstItsPublicKeyAndIssuer(@TempDir Path dir, @TempDir Path otherDir) throws Exception {
        LocalCredentials credentials = LocalCredentials.generate(dir);
        String location = credentials.orchestratorEnv().get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");

        JsonWebToken token = new DefaultJWTParser(new JWTAuthContextInfo(location, LocalCredentials.ISSUER))
                .parse(credentials.token("local-user", Duration.ofMinutes(5)));

        assertThat(token.getSubject()).isEqualTo("local-user");
        assertThat(token.getGroups()).isEmpty();
        assertThatThrownBy(() -> new DefaultJWTParser(new JWTAuthContextInfo(location, "someone-else"))
                .parse(credentials.token("local-user", Duration.ofMinutes(5)))).isInstanceOf(ParseException.class);
        LocalCredentials other = LocalCredentials.generate(otherDir); // another stack's key pair
        assertThatThrownBy(() -> new DefaultJWTParser(new JWTAuthContextInfo(location, LocalCredentials.ISSUER))
                .parse(other.token("local-user", Duration.ofMinutes(5)))).isInstanceOf(ParseException.class);
    }

    @Test
    void theLocalStacksAdminKeyIsAWellFormedApiKey(@TempDir Path dir) {
        String key = LocalCredentials.generate(dir).adminApiKey();
        assertThat(ApiKeyToken.parse(key)).hasValueSatisfying(token -> assertThat(token.value()).isEqualTo(key));
        assertThat(LocalCredentials.generate(dir).adminApiKey()).isNotEqualTo(key);
    }

    /** The long-running platform's credentials: stored once, read back at every start; tokens stay valid across. */
    @Test
    void thePlatformsCredentialsAreKeptAndTheirTokensVerifyAfterARestart(@TempDir Path dir) throws Exception {
        LocalCredentials first = LocalCredentials.loadOrGenerate(dir);
        String token = first.token("local-user", Duration.ofMinutes(5));
        LocalCredentials again = LocalCredentials.loadOrGenerate(dir);

        assertThat(again.adminApiKey()).isEqualTo(first.adminApiKey());
        assertThat(ApiKeyToken.parse(again.adminApiKey())).isPresent();
        String location = again.orchestratorEnv().get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        assertThat(new DefaultJWTParser(new JWTAuthContextInfo(location, LocalCredentials.ISSUER)).parse(token).getSubject())
                .isEqualTo("local-user");
        for (String secret : List.of("jwt-private.key", "admin-api-key")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(secret))).as(secret)
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }
}
