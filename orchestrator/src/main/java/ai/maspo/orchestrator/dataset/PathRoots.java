package ai.maspo.orchestrator.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads server-side dataset files, only from under the configured roots, so the import API cannot be
 * used to read arbitrary files of the orchestrator's host. No roots: path import is refused.
 */
public final class PathRoots {

    private final List<Path> roots;

    public PathRoots(List<Path> roots) {
        this.roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
    }

    /** @throws DatasetImportException (field {@code fieldName}) when the file is outside the roots, missing or unreadable */
    public String read(String path, String fieldName) {
        if (roots.isEmpty()) {
            throw new DatasetImportException(fieldName, "import from a server-side path is disabled (set maspo.datasets.path-roots)");
        }
        Path file;
        try {
            file = Path.of(path).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new DatasetImportException(fieldName, "no such file: " + path);
            }
            Path real = file.toRealPath();
            boolean allowed = false;
            for (Path root : roots) {
                if (Files.isDirectory(root) && real.startsWith(root.toRealPath())) {
                    allowed = true;
                }
            }
            if (!allowed) {
                throw new DatasetImportException(fieldName, "path is outside the allowed dataset roots " + roots);
            }
            return Files.readString(real, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetImportException known) {
                throw known;
            }
            throw new DatasetImportException(fieldName, "cannot read " + path + ": " + e.getMessage());
        }
    }
}
