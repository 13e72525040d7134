package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.domain.PlainText;
import ai.maspo.orchestrator.search.FieldError;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Path and query parameters of every endpoint hold only text {@link PlainText} accepts: a NUL in an id would
 * otherwise reach PostgreSQL and fail there. Refused with 400 naming {@code path.<name>} or {@code query.<name>}.
 */
public class ParameterGuard {

    @ServerRequestFilter
    public Optional<Response> refuseUnstorableText(UriInfo uri) {
        return firstProblem("path.", uri.getPathParameters())
                .or(() -> firstProblem("query.", uri.getQueryParameters()))
                .map(error -> ErrorMappers.badRequest("invalid request", List.of(error)));
    }

    private static Optional<FieldError> firstProblem(String prefix, MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = PlainText.problem(parameter.getKey()).isPresent() ? "(name)" : parameter.getKey();
            for (String value : parameter.getValue()) {
                Optional<String> problem = PlainText.problem(parameter.getKey()).or(() -> PlainText.problem(value));
                if (problem.isPresent()) {
                    return Optional.of(new FieldError(prefix + name, problem.get()));
                }
            }
        }
        return Optional.empty();
    }
}
