package ai.maspo.orchestrator.nativeimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jackson reads and writes the protocol's messages (every service) and the search state and history (here) by
 * reflection, which a native image allows only for registered classes. Each package's
 * META-INF/native-image/ai.maspo/<artifact>/reflect-config.json, picked up by native-image from its jar, must list
 * every record, enum and interface of the package: a type added without registration fails here, with the expected
 * file content in the message, instead of at run time in a native service.
 */
class NativeReflectionConfigTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "ai.maspo.protocol.WireCodec, maspo-protocol",
            "ai.maspo.orchestrator.search.SearchState, maspo-orchestrator",
    })
    void everySerializedTypeIsRegisteredForReflection(String anchor, String artifact) throws Exception {
        Class<?> inPackage = Class.forName(anchor);
        String config = "/META-INF/native-image/ai.maspo/" + artifact + "/reflect-config.json";
        ArrayNode expected = mapper.createArrayNode();
        for (String name : serializableTypes(inPackage)) {
            expected.addObject().put("name", name).put("allDeclaredConstructors", true).put("allDeclaredMethods", true)
                    .put("allDeclaredFields", true).put("allRecordComponents", true);
        }
        try (InputStream registered = inPackage.getResourceAsStream(config)) {
            assertThat(registered).as(config).isNotNull();
            assertThat(mapper.readTree(registered)).as("%s should be:%n%s", config,
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsString(expected)).isEqualTo(expected);
        }
    }

    /** Records, enums and interfaces compiled into the anchor's package, nested ones included, sorted by name. */
    private static List<String> serializableTypes(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = anchor.getPackageName().replace('.', '/');
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location.resolve(folder))) {
                return typesAmong(anchor, files.map(f -> f.getFileName().toString()).toList());
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return typesAmong(anchor, jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith(folder + "/") && n.indexOf('/', folder.length() + 1) < 0)
                    .map(n -> n.substring(folder.length() + 1)).toList());
        }
    }

    private static List<String> typesAmong(Class<?> anchor, List<String> fileNames) {
        return fileNames.stream().filter(f -> f.endsWith(".class"))
                .map(f -> anchor.getPackageName() + "." + f.substring(0, f.length() - ".class".length()))
                .map(NativeReflectionConfigTest::load)
                .filter(c -> c.isRecord() || c.isEnum() || c.isInterface())
                .map(Class::getName).sorted().toList();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeReflectionConfigTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
