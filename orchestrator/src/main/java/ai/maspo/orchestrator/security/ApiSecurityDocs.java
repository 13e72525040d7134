package ai.maspo.orchestrator.security;

import ai.maspo.orchestrator.rest.ApiExamples;
import ai.maspo.orchestrator.rest.ErrorMappers;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Declares in the OpenAPI document how to authenticate: either scheme works for every operation (the two
 * requirements are alternatives). An API key may also be sent as {@code Authorization: Bearer mk_...}. The one
 * definition of the document also holds the error answers the run endpoints share (referenced by name).
 */
@OpenAPIDefinition(info = @Info(title = "MASPO orchestrator API", version = "v1"),
        security = {@SecurityRequirement(name = ApiSecurityDocs.BEARER_JWT), @SecurityRequirement(name = ApiSecurityDocs.API_KEY)},
        components = @Components(responses = {
                @APIResponse(name = ApiExamples.INVALID_ID_RESPONSE, description = "A path parameter holds a NUL "
                        + "or a lone surrogate; the violation names it as path.<name>",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = ErrorMappers.ErrorBody.class),
                                examples = @ExampleObject(name = "NUL in the id", value = ApiExamples.INVALID_ID))),
                @APIResponse(name = ApiExamples.NOT_FOUND_RESPONSE, description = "No such run, or one of another "
                        + "owner (the same answer, so ids cannot be probed)",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                schema = @Schema(implementation = ErrorMappers.ErrorBody.class),
                                examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))}))
@SecurityScheme(securitySchemeName = ApiSecurityDocs.BEARER_JWT, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "A JWT from the configured issuer; its subject owns what it creates")
@SecurityScheme(securitySchemeName = ApiSecurityDocs.API_KEY, type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER, apiKeyName = ApiKeyAuthenticationMechanism.API_KEY_HEADER,
        description = "An API key (mk_...) created by an admin at /api/v1/admin/api-keys")
public class ApiSecurityDocs extends Application {
    static final String BEARER_JWT = "bearerJwt";
    static final String API_KEY = "apiKey";
}
