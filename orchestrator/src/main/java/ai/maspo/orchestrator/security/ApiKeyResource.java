package ai.maspo.orchestrator.security;

import ai.maspo.orchestrator.rest.ErrorMappers.ErrorBody;
import ai.maspo.orchestrator.search.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** API keys for scripts, managed by admins only. */
@Path("/api/v1/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("${maspo.auth.admin-role}")
public class ApiKeyResource {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_OWNER = 255;
    private static final int MAX_DESCRIPTION = 200;

    /** {@code roles} may be absent (none): the key then acts as a plain user named {@code owner}. */
    public record NewApiKey(String owner, List<String> roles, String description) {
    }

    private final ApiKeyStore keys;
    private final Access access;

    ApiKeyResource(ApiKeyStore keys, Access access) {
        this.keys = keys;
        this.access = access;
    }

    @POST
    @Operation(summary = "Create an API key; the key is in this answer only, it is stored hashed")
    @APIResponse(responseCode = "201", description = "Created; `key` is the secret to hand to the script")
    @APIResponse(responseCode = "400", description = "Invalid request; each violation names its field")
    @APIResponse(responseCode = "403", description = "The caller is not an admin")
    public Response create(NewApiKey request) {
        List<FieldError> violations = violations(request);
        if (!violations.isEmpty()) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("invalid API key request", violations)).build();
        }
        ApiKeyStore.CreatedApiKey created = keys.create(request.owner().strip(),
                new LinkedHashSet<>(request.roles() == null ? List.of() : request.roles()), request.description(),
                access.caller().owner());
        return Response.created(URI.create("/api/v1/admin/api-keys/" + created.apiKey().id())).entity(created).build();
    }

    @GET
    @Operation(summary = "Every API key with owner, roles and timestamps; never a secret")
    public List<ApiKeyStore.ApiKeyView> list() {
        return keys.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key: from now on it is refused")
    @APIResponse(responseCode = "200", description = "Revoked; the body is the key with its revocation time")
    @APIResponse(responseCode = "404", description = "No key with this id")
    public Response revoke(@PathParam("id") String id) {
        return keys.revoke(id, access.caller().owner())
                .map(key -> Response.ok(key, MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> Response.status(404).type(MediaType.APPLICATION_JSON)
                        .entity(new ErrorBody("no API key with id " + id, List.of())).build());
    }

    private static List<FieldError> violations(NewApiKey request) {
        List<FieldError> violations = new ArrayList<>();
        if (request == null) {
            violations.add(new FieldError("", "a JSON body is required"));
            return violations;
        }
        if (request.owner() == null || request.owner().isBlank()) {
            violations.add(new FieldError("owner", "required: the subject whose runs and datasets the key acts on"));
        } else if (request.owner().length() > MAX_OWNER) {
            violations.add(new FieldError("owner", "at most " + MAX_OWNER + " characters"));
        }
        if (request.roles() != null) {
            for (int i = 0; i < request.roles().size(); i++) {
                String role = request.roles().get(i);
                if (role == null || !ROLE.matcher(role).matches()) {
                    violations.add(new FieldError("roles[" + i + "]", "1-64 letters, digits, '.', '_', ':' or '-'"));
                }
            }
        }
        if (request.description() != null && request.description().length() > MAX_DESCRIPTION) {
            violations.add(new FieldError("description", "at most " + MAX_DESCRIPTION + " characters"));
        }
        return violations;
    }
}
