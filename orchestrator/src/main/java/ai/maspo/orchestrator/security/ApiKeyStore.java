package ai.maspo.orchestrator.security;

import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** API keys in PostgreSQL, hashed; the plain key exists only in the answer that creates it. */
@ApplicationScoped
public class ApiKeyStore {

    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);
    /** last-used is a hint for admins, not an audit log: one write per key and minute is enough */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    /** A key as an admin sees it: never its secret. */
    public record ApiKeyView(String id, String owner, List<String> roles, String description, String createdBy,
                             Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** The answer to a creation: the only time {@code key} is shown. */
    public record CreatedApiKey(String key, ApiKeyView apiKey) {
    }

    /** Who a valid key authenticates. */
    public record KeyOwner(String owner, Set<String> roles) {
    }

    private final AuthConfig config;

    ApiKeyStore(AuthConfig config) {
        this.config = config;
    }

    /** Stores the configured bootstrap admin key, so a fresh deployment has one key that can create the others. */
    @Transactional
    void bootstrap(@Observes StartupEvent start) {
        if (config.bootstrapAdminKey().isEmpty()) {
            return;
        }
        ApiKeyToken token = ApiKeyToken.parse(config.bootstrapAdminKey().get().strip()).orElseThrow(() ->
                new IllegalStateException("maspo.auth.bootstrap-admin-key (MASPO_AUTH_BOOTSTRAP_ADMIN_KEY) must look like "
                        + "mk_<8-32 lowercase letters or digits>_<secret of at least 32 characters>"));
        ApiKeyEntity key = ApiKeyEntity.findById(token.id());
        if (key == null) {
            key = newKey(token, config.bootstrapAdminOwner(), Set.of(config.adminRole()), "bootstrap admin key", "configuration");
            key.persist();
            LOG.infof("bootstrap admin API key %s stored (owner %s)", token, key.owner);
        } else if (key.revokedAt != null) {
            LOG.warnf("the bootstrap admin API key %s was revoked and stays revoked", token);
        } else {
            key.secretHash = token.secretHash(); // the configuration is authoritative for this id
        }
    }

    @Transactional
    public CreatedApiKey create(String owner, Set<String> roles, String description, String createdBy) {
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKeyEntity key = newKey(token, owner, roles, description, createdBy);
        key.persist();
        LOG.infof("API key %s created for %s by %s", token, owner, createdBy);
        return new CreatedApiKey(token.value(), view(key));
    }

    @Transactional
    public List<ApiKeyView> list() {
        return ApiKeyEntity.<ApiKeyEntity>findAll(Sort.by("createdAt").and("id")).stream().map(ApiKeyStore::view).toList();
    }

    /** @return the revoked key, empty if there is none with that id; revoking twice keeps the first time */
    @Transactional
    public Optional<ApiKeyView> revoke(String id, String revokedBy) {
        return ApiKeyEntity.<ApiKeyEntity>findByIdOptional(id).map(key -> {
            if (key.revokedAt == null) {
                key.revokedAt = now();
                LOG.infof("API key %s of %s revoked by %s", id, key.owner, revokedBy);
            }
            return view(key);
        });
    }

    /** The owner and roles of a presented key if it exists, is not revoked and its secret matches. */
    @Transactional
    public Optional<KeyOwner> authenticate(ApiKeyToken token) {
        ApiKeyEntity key = ApiKeyEntity.findById(token.id());
        if (key == null || key.revokedAt != null || !token.matches(key.secretHash)) {
            return Optional.empty();
        }
        Instant now = now();
        if (key.lastUsedAt == null || key.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
            key.lastUsedAt = now;
        }
        return Optional.of(new KeyOwner(key.owner, Set.copyOf(roles(key))));
    }

    private static ApiKeyEntity newKey(ApiKeyToken token, String owner, Set<String> roles, String description, String createdBy) {
        ApiKeyEntity key = new ApiKeyEntity();
        key.id = token.id();
        key.secretHash = token.secretHash();
        key.owner = owner;
        key.roles = roles.stream().sorted().collect(Collectors.joining(","));
        key.description = description;
        key.createdBy = createdBy;
        key.createdAt = now();
        return key;
    }

    /** sorted, as stored */
    private static List<String> roles(ApiKeyEntity key) {
        return key.roles.isEmpty() ? List.of() : Arrays.asList(key.roles.split(","));
    }

    private static ApiKeyView view(ApiKeyEntity key) {
        return new ApiKeyView(key.id, key.owner, roles(key), key.description, key.createdBy, key.createdAt, key.lastUsedAt,
                key.revokedAt);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
