package ai.maspo.orchestrator.dataset;

import ai.maspo.orchestrator.security.Access;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Dataset import and browsing. Errors of this resource are mapped here, apart from the global mappers. */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** one question as served; {@code testSpec} is the JSON object of code tasks, else null */
    public record QuestionView(String id, String text, String reference, JsonNode testSpec, Map<String, Object> metadata) {
    }

    /** {@code line} and {@code field} locate the problem when it has a location; {@code source} names a split file */
    public record ImportError(String error, String source, Integer line, String field) {
    }

    private final DatasetStore store;
    private final DatasetImporter importer;
    private final Access access;

    public DatasetResource(DatasetStore store, Access access,
                           @ConfigProperty(name = "maspo.datasets.path-roots") Optional<List<java.nio.file.Path>> pathRoots) {
        this.store = store;
        this.access = access;
        this.importer = new DatasetImporter(new PathRoots(pathRoots.orElse(List.of())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a dataset and split it into an optimization pool and a test set")
    @APIResponse(responseCode = "201", description = "Imported; the body is the dataset's summary")
    @APIResponse(responseCode = "400", description = "Invalid request or data; names the field (and the source and line)")
    @APIResponse(responseCode = "413", description = "Body larger than quarkus.http.limits.max-body-size")
    public Response create(@Valid ImportRequest request) {
        if (request == null) {
            throw new DatasetImportException(null, "a JSON body is required");
        }
        DatasetSummary saved = store.save(importer.importDataset(request), access.caller().owner());
        return Response.created(URI.create("/api/v1/datasets/" + saved.id())).entity(saved).build();
    }

    @GET
    public List<DatasetSummary> list() {
        return store.list(access.caller().listFilter());
    }

    @GET
    @Path("/{id}")
    public DatasetSummary get(@PathParam("id") String id) {
        access.requireDataset(id);
        return store.find(id).orElseThrow(() -> new DatasetNotFoundException(id));
    }

    @GET
    @Path("/{id}/questions")
    public List<QuestionView> questions(@PathParam("id") String id, @QueryParam("split") String split) {
        DatasetSplit side = DatasetSplit.fromWire(split);
        access.requireDataset(id);
        return store.items(id, side).stream()
                .map(item -> new QuestionView(item.id(), item.text(), item.reference(), parse(item.testSpec()), item.metadata()))
                .toList();
    }

    @ServerExceptionMapper
    public Response badImport(DatasetImportException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ImportError(e.getMessage(), e.source(), e.line(), e.field())).build();
    }

    @ServerExceptionMapper
    public Response notFound(DatasetNotFoundException e) {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(new ImportError(e.getMessage(), null, null, null)).build();
    }

    private static JsonNode parse(String testSpec) {
        try {
            return testSpec == null ? null : JSON.readTree(testSpec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored test spec is not JSON", e);
        }
    }
}
