package ai.maspo.orchestrator.dataset;

import ai.maspo.protocol.TaskDefinition;
import ai.maspo.protocol.TaskType;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The supported source formats (wire names in the import request), with the task settings that fit each. */
public enum DatasetFormat {
    MATH_500("math500", TaskType.MATH, "boxed", "exact"),
    AGIEVAL_MATH("agieval_math", TaskType.MATH, "boxed", "exact"),
    AQUA_RAT("aqua_rat", TaskType.CHOICE, "choice_letter", "choice"),
    GPQA_DIAMOND("gpqa_diamond", TaskType.CHOICE, "choice_letter", "choice"),
    MBPP("mbpp", TaskType.CODE, "code_block", "unit_tests"),
    HUMANEVAL_ET("humaneval_et", TaskType.CODE, "code_block", "unit_tests"),
    /** {"id","question","answer"} as served by the llm-simulator at /sim/datasets/{scenario}/{split} */
    SIMULATOR("simulator", null, "answer_tag", "exact"),
    /** fields named by the request's {@link FieldMapping} */
    GENERIC("generic", null, null, null);

    private final String wireName;
    private final TaskType taskType;
    private final String extraction;
    private final String checker;

    DatasetFormat(String wireName, TaskType taskType, String extraction, String checker) {
        this.wireName = wireName;
        this.taskType = taskType;
        this.extraction = extraction;
        this.checker = checker;
    }

    public String wireName() {
        return wireName;
    }

    /** suggested task settings (type may be null: the simulator's items are numeric or multiple choice) */
    public TaskDefinition suggestedTask() {
        return extraction == null ? null : new TaskDefinition(taskType, extraction, null, checker);
    }

    /** @throws DatasetImportException naming the accepted formats */
    public static DatasetFormat fromWire(String name) {
        for (DatasetFormat format : values()) {
            if (format.wireName.equalsIgnoreCase(name == null ? "" : name.strip())) {
                return format;
            }
        }
        throw new DatasetImportException("format", "unknown format '" + name + "', expected one of "
                + Arrays.stream(values()).map(DatasetFormat::wireName).collect(Collectors.joining(", ")));
    }
}
