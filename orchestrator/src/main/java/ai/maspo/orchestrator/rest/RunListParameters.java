package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.domain.Limits;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.search.FieldError;
import ai.maspo.orchestrator.search.Strategy;
import ai.maspo.orchestrator.service.RunQuery;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run list's query parameters, read strictly like request bodies: an unknown or repeated parameter, a value out
 * of range or not among the known ones is refused with every problem named {@code query.<name>}, never ignored. An
 * empty value counts as absent. {@code status} and {@code strategy} take several values, repeated or comma-separated.
 */
final class RunListParameters {

    static final String PAGE = "page";
    static final String SIZE = "size";
    static final String SORT = "sort";
    static final String DIRECTION = "direction";
    static final String STATUS = "status";
    static final String STRATEGY = "strategy";
    static final String NAME = "name";
    static final int DEFAULT_SIZE = 20;
    private static final List<String> KNOWN = List.of(PAGE, SIZE, SORT, DIRECTION, STATUS, STRATEGY, NAME);
    private static final List<String> MULTI_VALUED = List.of(STATUS, STRATEGY);

    private final MultivaluedMap<String, String> raw;
    private final List<FieldError> errors = new ArrayList<>();

    private RunListParameters(MultivaluedMap<String, String> raw) {
        this.raw = raw;
    }

    /** @throws InvalidParametersException naming every parameter at fault */
    static RunQuery parse(MultivaluedMap<String, String> query, String owner) {
        return new RunListParameters(query).toQuery(owner);
    }

    private RunQuery toQuery(String owner) {
        for (Map.Entry<String, List<String>> parameter : raw.entrySet()) {
            if (!KNOWN.contains(parameter.getKey())) {
                errors.add(new FieldError("query." + parameter.getKey(), "unknown parameter (known: "
                        + String.join(", ", KNOWN) + ")"));
            } else if (!MULTI_VALUED.contains(parameter.getKey()) && parameter.getValue().size() > 1) {
                errors.add(new FieldError("query." + parameter.getKey(), "given more than once"));
            }
        }
        int page = integer(PAGE, 0, Limits.PAGE, 0);
        int size = integer(SIZE, 1, Limits.PAGE_SIZE, DEFAULT_SIZE);
        RunQuery.Sort sort = single(SORT) == null ? RunQuery.Sort.CREATED_AT
                : oneOf(SORT, single(SORT), RunQuery.Sort.values(), RunQuery.Sort::wireName);
        String direction = single(DIRECTION);
        boolean ascending = sort != null && sort.ascendingByDefault();
        if ("asc".equalsIgnoreCase(direction) || "desc".equalsIgnoreCase(direction)) {
            ascending = "asc".equalsIgnoreCase(direction);
        } else if (direction != null) {
            errors.add(new FieldError("query." + DIRECTION, "must be one of [asc, desc]"));
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String value : values(STATUS)) {
            add(statuses, oneOf(STATUS, value, RunStatus.values(), Enum::name));
        }
        Set<Strategy> strategies = EnumSet.noneOf(Strategy.class);
        for (String value : values(STRATEGY)) {
            add(strategies, oneOf(STRATEGY, value, Strategy.values(), Strategy::wireName));
        }
        String name = single(NAME);
        if (name != null && name.length() > Limits.NAME) {
            errors.add(new FieldError("query." + NAME, "at most " + Limits.NAME + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        return new RunQuery(owner, statuses, strategies, name, sort, ascending, page, size);
    }

    private static <T> void add(Set<T> set, T valueOrNull) {
        if (valueOrNull != null) {
            set.add(valueOrNull);
        }
    }

    /** The value of a single-valued parameter; null when absent or empty (a repeat is reported above). */
    private String single(String name) {
        List<String> values = raw.get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty() ? null : values.getFirst();
    }

    /** The values of a multi-valued parameter, repeated or comma-separated, blanks dropped. */
    private List<String> values(String name) {
        return raw.getOrDefault(name, List.of()).stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private int integer(String name, int min, int max, int absent) {
        String value = single(name);
        if (value == null) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the range, as an out-of-range number is
        }
        errors.add(new FieldError("query." + name, "must be an integer from " + min + " to " + max));
        return absent;
    }

    /** The constant whose wire name is {@code value}, ignoring case; null (and an error) when none is. */
    private <T> T oneOf(String name, String value, T[] constants, Function<T, String> wireName) {
        for (T constant : constants) {
            if (wireName.apply(constant).equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        errors.add(new FieldError("query." + name, "unknown value " + quoted(value) + " (known: "
                + Arrays.stream(constants).map(wireName).collect(Collectors.joining(", ")) + ")"));
        return null;
    }

    /** The value as the client gave it, shortened: a refusal need not echo a whole URL. */
    private static String quoted(String value) {
        return "'" + (value.length() <= Limits.WORD ? value : value.substring(0, Limits.WORD) + "...") + "'";
    }
}
