package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.domain.BuiltInTopologies;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;

import java.util.Map;

/**
 * A run spec example per built-in topology beside the annotated ones ({@link ApiExamples}): annotation values must
 * be constants, and the list of topologies is {@link BuiltInTopologies#NAMES}, so a new topology gets its example
 * without anyone writing one. Each is the annotated built-in example with its own topology and default size.
 */
public class RunSpecExamples implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        PathItem runs = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/api/v1/runs");
        Operation submit = runs == null ? null : runs.getPOST();
        if (submit == null || submit.getRequestBody() == null || submit.getRequestBody().getContent() == null) {
            return;
        }
        MediaType json = submit.getRequestBody().getContent().getMediaType("application/json");
        if (json == null) {
            return;
        }
        for (String topology : BuiltInTopologies.NAMES) {
            String name = "built-in topology " + topology;
            if (json.getExamples() == null || !json.getExamples().containsKey(name)) {
                json.addExample(name, OASFactory.createExample().summary("the " + topology + " topology with its "
                        + "default size, inline questions").value(specFor(topology)));
            }
        }
    }

    static Map<String, Object> specFor(String topology) {
        try {
            ObjectNode spec = (ObjectNode) JSON.readTree(ApiExamples.SPEC_TOPOLOGY);
            spec.put("name", topology + " on arithmetic");
            spec.set("mas", JSON.createObjectNode().put("topology", topology));
            return JSON.convertValue(spec, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ApiExamples.SPEC_TOPOLOGY is not JSON", e);
        }
    }
}
