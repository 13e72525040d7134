package ai.maspo.orchestrator.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented with a request, not yet checked. */
public class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final ApiKeyToken token;

    public ApiKeyAuthenticationRequest(ApiKeyToken token) {
        this.token = token;
    }

    public ApiKeyToken token() {
        return token;
    }
}
