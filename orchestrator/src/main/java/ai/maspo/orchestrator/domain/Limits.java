package ai.maspo.orchestrator.domain;

/**
 * Upper bounds of what one run or dataset may ask for, shared by the run spec's constraints and the dataset import
 * so that an imported dataset always fits a run. Generous for real use, small enough that validating a request and
 * building its schedule stay cheap (nothing is proportional to an unbounded number). Documented in README.md.
 */
public final class Limits {

    public static final int NAME = 200;
    public static final int AGENTS = 32;
    /** a DAG of 32 agents has at most 32·31/2 = 496 edges */
    public static final int EDGES = 500;
    public static final int AGENT_ID = 100;
    public static final int ROLE = 200;
    public static final int DESCRIPTION = 2_000;
    public static final int PROMPT = 20_000;
    public static final int TOPOLOGY_SIZE = 10;
    public static final int WORD = 50;
    public static final int REQUIREMENT = 5_000;
    public static final int QUESTIONS = 10_000;
    public static final int QUESTION_ID = 200;
    public static final int QUESTION_TEXT = 100_000;
    public static final int REFERENCE = 10_000;
    public static final int TESTS = 100_000;
    public static final int DATASET_ID = 100;
    public static final int MODEL = 200;
    /** completion tokens one request may ask for */
    public static final int MAX_TOKENS = 1_000_000;
    /** stop sequences of one model role (OpenAI's own limit) */
    public static final int STOP_SEQUENCES = 4;
    public static final int STOP_LENGTH = 100;
    /** extra request body: fields, characters of a field name, characters of the whole object as JSON, nesting */
    public static final int EXTRA_FIELDS = 16;
    public static final int EXTRA_KEY = 64;
    public static final int EXTRA_JSON = 4_096;
    public static final int EXTRA_DEPTH = 5;
    /** US dollars per million tokens */
    public static final String PRICE_MAX = "10000";
    /** US dollars of one run's budget */
    public static final String COST_MAX = "1000000";
    public static final int BEAM_WIDTH = 16;
    public static final int CANDIDATES = 16;
    public static final int MINIBATCH = 200;
    public static final int LAYERS = 100;
    public static final int CASES = 50;
    public static final int INJECTED = 100;
    public static final String WEIGHT_MAX = "100";
    public static final long LLM_CALLS = 100_000_000L;
    public static final long TOKENS = 100_000_000_000L;
    /** 30 days */
    public static final long WALL_SECONDS = 2_592_000L;
    /** characters of JSONL in one dataset import source */
    public static final int DATASET_CONTENT = 30_000_000;
    /** records of one dataset import source (before the split keeps at most {@link #QUESTIONS} per side) */
    public static final int DATASET_ROWS = 50_000;
    public static final int PATH = 4_096;
    /** runs per page of the run list */
    public static final int PAGE_SIZE = 100;
    /** the last page number of the run list (0-based), so that page × size stays far below 2^31 */
    public static final int PAGE = 1_000_000;

    private Limits() {
    }
}
