package ai.maspo.orchestrator.security;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Declares in the OpenAPI document how to authenticate: either scheme works for every operation (the two
 * requirements are alternatives). An API key may also be sent as {@code Authorization: Bearer mk_...}.
 */
@OpenAPIDefinition(info = @Info(title = "MASPO orchestrator API", version = "v1"),
        security = {@SecurityRequirement(name = ApiSecurityDocs.BEARER_JWT), @SecurityRequirement(name = ApiSecurityDocs.API_KEY)})
@SecurityScheme(securitySchemeName = ApiSecurityDocs.BEARER_JWT, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "A JWT from the configured issuer; its subject owns what it creates")
@SecurityScheme(securitySchemeName = ApiSecurityDocs.API_KEY, type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER, apiKeyName = ApiKeyAuthenticationMechanism.API_KEY_HEADER,
        description = "An API key (mk_...) created by an admin at /api/v1/admin/api-keys")
public class ApiSecurityDocs extends Application {
    static final String BEARER_JWT = "bearerJwt";
    static final String API_KEY = "apiKey";
}
