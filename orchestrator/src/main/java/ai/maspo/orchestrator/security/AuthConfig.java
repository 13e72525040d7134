package ai.maspo.orchestrator.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Who may do what. JWT verification itself is smallrye-jwt's configuration ({@code mp.jwt.verify.*},
 * {@code smallrye.jwt.path.groups} for where the roles are in the token).
 */
@ConfigMapping(prefix = "maspo.auth")
public interface AuthConfig {

    /**
     * The role (JWT group, API key role) that sees and manages everything, API keys included; set in
     * application.properties, where the HTTP policy of /api/v1/admin/* reads it too.
     */
    String adminRole();

    /**
     * An admin API key ({@code mk_<id>_<secret>}) accepted from the first start, so a fresh deployment can create
     * the real keys; stored hashed at start like any other key.
     */
    Optional<String> bootstrapAdminKey();

    /** The owner the bootstrap key acts as. */
    @WithDefault("admin")
    String bootstrapAdminOwner();
}
