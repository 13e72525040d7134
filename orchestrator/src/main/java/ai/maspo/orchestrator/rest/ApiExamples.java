package ai.maspo.orchestrator.rest;

/**
 * Examples of the OpenAPI document, as JSON text. The run specs are complete and valid (a test submits them as
 * published, the dataset one with an imported dataset's id in place of {@code DATASET_ID}), so a client can start
 * from one.
 */
public final class ApiExamples {

    /** Names of the shared responses of the document's components ({@code ApiSecurityDocs}). */
    public static final String INVALID_ID_RESPONSE = "invalidId";
    public static final String NOT_FOUND_RESPONSE = "runNotFound";

    /** A built-in topology with inline questions, one prompt overridden. */
    static final String SPEC_TOPOLOGY = """
            {
              "name": "reflect on arithmetic",
              "mas": {
                "topology": "reflect",
                "size": 1,
                "prompts": {"reflector_1": "Problem:\\n{question}\\n\\nA previous solution:\\n{context}\\n\\nCheck it and give the final answer."}
              },
              "task": {"type": "math", "requirement": "Answer the arithmetic problem correctly."},
              "data": {
                "pool": [
                  {"id": "p1", "text": "What is 2 + 3?"},
                  {"id": "p2", "text": "What is 7 * 6?"},
                  {"id": "p3", "text": "What is 10 - 4?"},
                  {"id": "p4", "text": "What is 9 / 3?"}
                ],
                "test": [
                  {"id": "t1", "text": "What is 5 + 8?", "reference": "13"},
                  {"id": "t2", "text": "What is 12 - 7?", "reference": "5"}
                ]
              },
              "models": {
                "agent": {"model": "gpt-4o-mini", "temperature": 0},
                "optimizer": {"model": "gpt-4o-mini", "temperature": 0.7},
                "judge": {"model": "gpt-4o-mini", "temperature": 0}
              },
              "search": {"strategy": "maspo", "minibatchSize": 2, "layersPerAgent": 3, "layersPerTurn": 3, "seed": 7},
              "budget": {"maxLlmCalls": 2000}
            }""";

    /** A custom DAG whose questions come from an imported dataset; the search takes the paper's defaults. */
    static final String SPEC_CUSTOM_DAG = """
            {
              "name": "predictor -> reflector",
              "mas": {
                "agents": [
                  {"id": "predictor", "role": "Predictor", "description": "Solves the problem.",
                   "prompt": "Solve the following problem.\\n\\n{question}"},
                  {"id": "reflector", "role": "Reflector", "description": "Checks the solution, gives the final answer.",
                   "prompt": "Problem:\\n{question}\\n\\nA previous solution:\\n{context}\\n\\nCheck it and give the final answer."}
                ],
                "edges": [{"from": "predictor", "to": "reflector"}]
              },
              "task": {"type": "math", "requirement": "Answer the arithmetic problem correctly."},
              "data": {"datasetId": "DATASET_ID"},
              "models": {
                "agent": {"model": "gpt-4o-mini", "maxTokens": 1024, "stop": ["\\n\\nQuestion:"],
                          "price": {"inputPerMillion": 0.15, "outputPerMillion": 0.6, "cachedInputPerMillion": 0.075}},
                "optimizer": {"model": "o3-mini", "temperature": 1, "reasoningEffort": "medium", "sendSeed": false,
                              "extraBody": {"max_completion_tokens": 4000},
                              "price": {"inputPerMillion": 1.1, "outputPerMillion": 4.4, "cachedInputPerMillion": 0.55}},
                "judge": {"model": "gpt-4o-mini", "topP": 0.9}
              },
              "search": {"strategy": "maspo-local-only", "seed": 7},
              "budget": {"maxLlmCalls": 20000, "maxWallSeconds": 7200, "maxCostUsd": 25}
            }""";

    static final String RUN_COMPLETED = """
            {
              "id": "3f6c2a9e-8d0b-4c1e-9a57-2b1d6e4f8a10",
              "name": "reflect on arithmetic",
              "owner": "alice",
              "status": "COMPLETED",
              "phase": "DONE",
              "strategy": "maspo",
              "progress": {
                "minibatch": {"done": 6, "failed": 0, "total": 6},
                "baseline": {"done": 12, "failed": 0, "total": 12},
                "propose": {"done": 12, "failed": 0, "total": 12},
                "score": {"done": 22, "failed": 0, "total": 22},
                "test-seed": {"done": 2, "failed": 0, "total": 2},
                "test-best": {"done": 2, "failed": 0, "total": 2}
              },
              "bestPrompts": {
                "predictor": "Solve the problem step by step; end with the final number alone on the last line.\\n\\n{question}",
                "reflector_1": "Problem:\\n{question}\\n\\nA previous solution:\\n{context}\\n\\nRedo the arithmetic, then give the final answer."
              },
              "seedAccuracy": 0.5,
              "optimizedAccuracy": 1.0,
              "testFailures": null,
              "cost": [
                {"role": "AGENT", "calls": 214, "cachedCalls": 61, "promptTokens": 51230, "cachedPromptTokens": 20480,
                 "completionTokens": 12408, "millis": 40211, "elapsedMillis": 9874, "costUsd": 0.013593},
                {"role": "JUDGE", "calls": 176, "cachedCalls": 0, "promptTokens": 70400, "cachedPromptTokens": 0,
                 "completionTokens": 1760, "millis": 21877, "elapsedMillis": 5310, "costUsd": 0.011616},
                {"role": "OPTIMIZER", "calls": 12, "cachedCalls": 0, "promptTokens": 14880, "cachedPromptTokens": 0,
                 "completionTokens": 2304, "millis": 9120, "elapsedMillis": 3902, "costUsd": 0.003614}
              ],
              "costUsd": 0.028823,
              "finishReason": "COMPLETED",
              "error": null,
              "createdAt": "2026-12-01T09:30:00Z",
              "updatedAt": "2026-12-01T09:41:12.402Z",
              "finishedAt": "2026-12-01T09:41:12.402Z"
            }""";

    /**
     * Cancelled in the middle of a layer: scoring jobs outstanding at the cancel count in total, not in done. Its model
     * has no price on this server and the spec gave none: its cost in money is unknown (null), not 0.
     */
    static final String RUN_CANCELLED = """
            {
              "id": "9b1e7f30-5c4a-4d2b-8e61-0a3c9d5f7b24",
              "name": "reflect on arithmetic",
              "owner": "alice",
              "status": "STOPPED",
              "phase": "DONE",
              "strategy": "maspo",
              "progress": {
                "minibatch": {"done": 3, "failed": 0, "total": 3},
                "baseline": {"done": 6, "failed": 0, "total": 6},
                "propose": {"done": 6, "failed": 0, "total": 6},
                "score": {"done": 9, "failed": 0, "total": 12}
              },
              "bestPrompts": {
                "predictor": "Solve the problem step by step; end with the final number alone on the last line.\\n\\n{question}",
                "reflector_1": "Problem:\\n{question}\\n\\nA previous solution:\\n{context}\\n\\nCheck it and give the final answer."
              },
              "seedAccuracy": null,
              "optimizedAccuracy": null,
              "testFailures": null,
              "cost": [
                {"role": "AGENT", "calls": 97, "cachedCalls": 30, "promptTokens": 23105, "cachedPromptTokens": 0,
                 "completionTokens": 5630, "millis": 18004, "elapsedMillis": 4102, "costUsd": null},
                {"role": "JUDGE", "calls": 72, "cachedCalls": 0, "promptTokens": 28800, "cachedPromptTokens": 0,
                 "completionTokens": 720, "millis": 8950, "elapsedMillis": 2230, "costUsd": null},
                {"role": "OPTIMIZER", "calls": 6, "cachedCalls": 0, "promptTokens": 7440, "cachedPromptTokens": 0,
                 "completionTokens": 1152, "millis": 4560, "elapsedMillis": 1740, "costUsd": null}
              ],
              "costUsd": null,
              "finishReason": "cancelled by alice",
              "error": null,
              "createdAt": "2026-12-01T10:02:00Z",
              "updatedAt": "2026-12-01T10:06:31.118Z",
              "finishedAt": "2026-12-01T10:06:31.118Z"
            }""";

    static final String INVALID_SPEC = """
            {"error": "invalid run spec", "violations": [{"field": "mas.edges[0].to", "message": "unknown agent 'ghost'"}]}""";

    static final String INVALID_PARAMETERS = """
            {"error": "invalid request", "violations": [
              {"field": "query.size", "message": "must be an integer from 1 to 100"},
              {"field": "query.status", "message": "unknown value 'DONE' (known: PENDING, RUNNING, COMPLETED, FAILED, STOPPED)"}
            ]}""";

    public static final String INVALID_ID = """
            {"error": "invalid request", "violations": [{"field": "path.id", "message": "contains a NUL character (U+0000) at offset 1"}]}""";

    public static final String NOT_FOUND = """
            {"error": "no run with id 3f6c2a9e-8d0b-4c1e-9a57-2b1d6e4f8a10", "violations": []}""";

    static final String NOT_CANCELLABLE = """
            {"error": "run 3f6c2a9e-8d0b-4c1e-9a57-2b1d6e4f8a10 already ended COMPLETED; only a PENDING or RUNNING run can be cancelled", "violations": []}""";

    private ApiExamples() {
    }
}
