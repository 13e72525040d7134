package ai.maspo.orchestrator.security;

/** The authenticated caller of a request: the owner it acts as, and whether it may see everyone's runs and datasets. */
public record Caller(String owner, boolean admin) {

    public boolean sees(String ownerOfResource) {
        return admin || owner.equals(ownerOfResource);
    }

    /** the owner to filter lists by, or null for an admin, who lists everything */
    public String listFilter() {
        return admin ? null : owner;
    }
}
