package ai.maspo.orchestrator.dataset;

import ai.maspo.infra.ProjectLayout;
import java.nio.file.Path;

/** The benchmark files in {@code shared/datasets} (see {@link ProjectLayout#sharedDatasets()}). */
final class SharedDatasets {

    private SharedDatasets() {
    }

    static Path root() {
        return ProjectLayout.sharedDatasets();
    }

    static String path(String relative) {
        return root().resolve(relative).toString();
    }
}
