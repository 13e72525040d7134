package ai.maspo.orchestrator.service;

import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.Strategy;

import java.util.Set;

/**
 * One page of the run list: whose runs ({@code owner}; null for every owner), which (empty sets and a null name
 * select all; {@code nameContains} is matched case-insensitively), in what order, and which page (0-based).
 */
public record RunQuery(String owner, Set<RunStatus> statuses, Set<Strategy> strategies, String nameContains,
                       Sort sort, boolean ascending, int page, int size) {

    /** The orders a client may ask for, by wire name; ties are always broken newest first, then by id. */
    public enum Sort {
        CREATED_AT("createdAt", "r.createdAt", false),
        NAME("name", "lower(r.name)", true),
        STATUS("status", "r.status", true);

        private final String wireName;
        final String expression;
        private final boolean ascendingByDefault;

        Sort(String wireName, String expression, boolean ascendingByDefault) {
            this.wireName = wireName;
            this.expression = expression;
            this.ascendingByDefault = ascendingByDefault;
        }

        public String wireName() {
            return wireName;
        }

        /** Newest first by date; A to Z by name and status. */
        public boolean ascendingByDefault() {
            return ascendingByDefault;
        }
    }
}
