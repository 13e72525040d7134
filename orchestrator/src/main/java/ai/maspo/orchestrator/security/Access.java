package ai.maspo.orchestrator.security;

import ai.maspo.orchestrator.dataset.DatasetNotFoundException;
import ai.maspo.orchestrator.persistence.RunEntity;
import ai.maspo.orchestrator.service.RunNotFoundException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;

/**
 * Ownership checks for the resources. Someone else's run or dataset is reported as missing (404), exactly like one
 * that does not exist, so ids cannot be probed.
 */
@RequestScoped
public class Access {

    private final SecurityIdentity identity;
    private final AuthConfig config;

    Access(SecurityIdentity identity, AuthConfig config) {
        this.identity = identity;
        this.config = config;
    }

    /** The JWT's subject (not its display name), or the owner an API key was issued to. */
    public Caller caller() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException(); // the HTTP permission should have stopped the request already
        }
        String owner = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject() : identity.getPrincipal().getName();
        return new Caller(owner, identity.hasRole(config.adminRole()));
    }

    /** @throws RunNotFoundException unless the run exists and the caller sees it */
    public void requireRun(String runId) {
        Optional<String> owner = ownerOf("select r.owner from RunEntity r where r.id = ?1", runId);
        if (owner.isEmpty() || !caller().sees(owner.get())) {
            throw new RunNotFoundException(runId);
        }
    }

    /** @throws DatasetNotFoundException unless the dataset exists and the caller sees it */
    public void requireDataset(String datasetId) {
        if (!seesDataset(datasetId)) {
            throw new DatasetNotFoundException(datasetId);
        }
    }

    public boolean seesDataset(String datasetId) {
        Optional<String> owner = ownerOf("select d.owner from DatasetEntity d where d.id = ?1", datasetId);
        return owner.isPresent() && caller().sees(owner.get());
    }

    private static Optional<String> ownerOf(String query, String id) {
        return RunEntity.getEntityManager().createQuery(query, String.class).setParameter(1, id).getResultStream().findFirst();
    }
}
