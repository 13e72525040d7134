package ai.maspo.orchestrator.rest;

import ai.maspo.orchestrator.domain.Limits;
import ai.maspo.orchestrator.domain.RunSpec;
import ai.maspo.orchestrator.persistence.RunStatus;
import ai.maspo.orchestrator.rest.ErrorMappers.ErrorBody;
import ai.maspo.orchestrator.search.Strategy;
import ai.maspo.orchestrator.security.Access;
import ai.maspo.orchestrator.service.HistoryStep;
import ai.maspo.orchestrator.service.RunCancellation;
import ai.maspo.orchestrator.service.RunList;
import ai.maspo.orchestrator.service.RunPage;
import ai.maspo.orchestrator.service.RunService;
import ai.maspo.orchestrator.service.RunView;
import ai.maspo.protocol.MasDefinition;
import jakarta.validation.Valid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.Explode;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Map;

/**
 * The run API. Every {@code /{id}} endpoint answers 404 for a run the caller may not see, exactly as for one that
 * does not exist; a malformed parameter is 400 naming it. The OpenAPI annotations carry the examples of
 * {@link ApiExamples} and the error body of every refusal.
 */
@Path("/api/v1/runs")
public class RunResource {

    private static final String JSON = MediaType.APPLICATION_JSON;

    private final RunService runs;
    private final RunList list;
    private final RunCancellation cancellation;
    private final Access access;

    RunResource(RunService runs, RunList list, RunCancellation cancellation, Access access) {
        this.runs = runs;
        this.list = list;
        this.cancellation = cancellation;
        this.access = access;
    }

    /** The optimized prompts of a run as a file to keep or to load into the user's own system. */
    public record PromptExport(String runId, String name, @Schema(ref = "Strategy") String strategy,
                               RunStatus status, Map<String, String> prompts, Double seedAccuracy,
                               Double optimizedAccuracy) {
    }

    @POST
    @Operation(summary = "Submit an optimization run")
    @RequestBody(required = true, content = @Content(mediaType = JSON, schema = @Schema(implementation = RunSpec.class),
            examples = {
                    @ExampleObject(name = "built-in topology, inline questions", value = ApiExamples.SPEC_TOPOLOGY),
                    @ExampleObject(name = "custom DAG, imported dataset", value = ApiExamples.SPEC_CUSTOM_DAG)}))
    @APIResponse(responseCode = "201", description = "Accepted; the body is the run, Location points at it",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "400", description = "Invalid run spec (malformed or strictly mistyped JSON, a bound "
            + "exceeded, an inconsistent spec, or an estimated work above the server's ceiling without "
            + "budget.maxLlmCalls); each violation names its field as a JSON path",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "unknown agent", value = ApiExamples.INVALID_SPEC)))
    @APIResponse(responseCode = "413", description = "Body larger than quarkus.http.limits.max-body-size")
    public Response submit(@Valid RunSpec spec, @Context UriInfo uri) {
        RunView run = runs.submit(spec, access.caller());
        return Response.created(uri.getAbsolutePathBuilder().path(run.id()).build())
                .type(JSON).entity(run).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Status, progress, best prompts, accuracy and cost of a run")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = RunView.class), examples = {
                    @ExampleObject(name = "completed", value = ApiExamples.RUN_COMPLETED),
                    @ExampleObject(name = "cancelled", value = ApiExamples.RUN_CANCELLED)}))
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    public RunView get(@PathParam("id") String id) {
        access.requireRun(id);
        return runs.find(id);
    }

    @GET
    @Operation(summary = "A page of the caller's runs (an admin's: of all runs), filtered and sorted; newest first "
            + "unless sort says otherwise")
    @Parameter(name = RunListParameters.PAGE, in = ParameterIn.QUERY, description = "Page number, from 0",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "" + Limits.PAGE, defaultValue = "0"))
    @Parameter(name = RunListParameters.SIZE, in = ParameterIn.QUERY, description = "Runs per page",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + Limits.PAGE_SIZE,
                    defaultValue = "" + RunListParameters.DEFAULT_SIZE))
    @Parameter(name = RunListParameters.SORT, in = ParameterIn.QUERY, description = "Order of the runs; ties are "
            + "broken newest first, then by id, so pages never overlap. name ignores case; status is alphabetical",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"createdAt", "name", "status"},
                    defaultValue = "createdAt"))
    @Parameter(name = RunListParameters.DIRECTION, in = ParameterIn.QUERY, description = "Default: desc (newest "
            + "first) for createdAt, asc for name and status",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"asc", "desc"}))
    @Parameter(name = RunListParameters.STATUS, in = ParameterIn.QUERY, explode = Explode.TRUE,
            description = "Only runs in one of these statuses (repeat the parameter or separate with commas)",
            schema = @Schema(type = SchemaType.ARRAY, implementation = RunStatus.class))
    @Parameter(name = RunListParameters.STRATEGY, in = ParameterIn.QUERY, explode = Explode.TRUE,
            description = "Only runs of one of these strategies (repeat the parameter or separate with commas)",
            schema = @Schema(type = SchemaType.ARRAY, implementation = Strategy.class))
    @Parameter(name = RunListParameters.NAME, in = ParameterIn.QUERY, description = "Only runs whose name contains "
            + "this text, ignoring case (% and _ are plain characters)",
            schema = @Schema(type = SchemaType.STRING, maxLength = Limits.NAME))
    @APIResponse(responseCode = "200", description = "The page, with the total number of matching runs",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = RunPage.class)))
    @APIResponse(responseCode = "400", description = "A parameter unknown, repeated, out of range or of an unknown "
            + "value; each violation names it as query.<name>",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "bad parameters", value = ApiExamples.INVALID_PARAMETERS)))
    public RunPage list(@Context UriInfo uri) {
        return list.page(RunListParameters.parse(uri.getQueryParameters(), access.caller().listFilter()));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a run: it ends STOPPED with the best prompts found so far, without the test phase",
            description = "Outstanding jobs are cancelled: the ones not yet published are never sent, answers that "
                    + "arrive later are ignored. A job an evaluator already took may still run; its LLM spend is "
                    + "counted in the run's cost. Cancelling a STOPPED run again returns it unchanged.")
    @APIResponse(responseCode = "200", description = "The run, STOPPED",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = RunView.class),
                    examples = @ExampleObject(name = "cancelled", value = ApiExamples.RUN_CANCELLED)))
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    @APIResponse(responseCode = "409", description = "The run already ended COMPLETED or FAILED",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "completed", value = ApiExamples.NOT_CANCELLABLE)))
    public RunView cancel(@PathParam("id") String id) {
        access.requireRun(id);
        return cancellation.cancel(id, access.caller());
    }

    @GET
    @Path("/{id}/best-prompts")
    @Operation(summary = "The current best prompt of every agent")
    @APIResponse(responseCode = "200", description = "Agent id to prompt")
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    public Map<String, String> bestPrompts(@PathParam("id") String id) {
        access.requireRun(id);
        return runs.find(id).bestPrompts();
    }

    @GET
    @Path("/{id}/mas")
    @Operation(summary = "The multi-agent system as the run executes it: agents with their seed prompts, edges, "
            + "levels in topological order, the terminal agent and the task (a built-in topology spelled out)")
    @APIResponse(responseCode = "200", description = "The resolved multi-agent system",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = MasDefinition.class)))
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    public MasDefinition mas(@PathParam("id") String id) {
        access.requireRun(id);
        return runs.mas(id);
    }

    @GET
    @Path("/{id}/cost")
    @Operation(summary = "LLM calls, cached calls, tokens and time per model role")
    @APIResponse(responseCode = "200", description = "One entry per model role that was used")
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    public List<RunView.Cost> cost(@PathParam("id") String id) {
        access.requireRun(id);
        return runs.find(id).cost();
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "Per agent and layer: beams, candidates with scores, rejected proposals, refreshes; each "
            + "step with when it was stored and the run's paid LLM calls by then, in the order of the search")
    @APIResponse(responseCode = "200", description = "The entries in the order the search made them")
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    public List<HistoryStep> history(@PathParam("id") String id) {
        access.requireRun(id);
        return runs.history(id);
    }

    @GET
    @Path("/{id}/export")
    @Operation(summary = "The optimized prompts as a JSON document")
    @APIResponse(responseCode = "200", description = "A file (Content-Disposition: attachment)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PromptExport.class)))
    @APIResponse(responseCode = "400", ref = ApiExamples.INVALID_ID_RESPONSE)
    @APIResponse(responseCode = "404", ref = ApiExamples.NOT_FOUND_RESPONSE)
    public Response export(@PathParam("id") String id) {
        access.requireRun(id);
        RunView run = runs.find(id);
        return Response.ok(new PromptExport(run.id(), run.name(), run.strategy(), run.status(), run.bestPrompts(),
                        run.seedAccuracy(), run.optimizedAccuracy()), JSON)
                .header("Content-Disposition", "attachment; filename=\"maspo-prompts-" + run.id() + ".json\"").build();
    }
}
