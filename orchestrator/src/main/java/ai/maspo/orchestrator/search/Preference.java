package ai.maspo.orchestrator.search;

/** What the judge preferred in one order of a pairwise comparison; NONE = still unparseable after retries. */
public enum Preference {
    CANDIDATE, PARENT, NONE
}
