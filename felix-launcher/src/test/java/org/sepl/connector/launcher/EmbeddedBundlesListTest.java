package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The embedded bundle lists the build makes (see the launcher's pom) match the project's one list of runtime bundles,
 * connector.features' {@code runtime-bundles.txt}, and the jars really embedded; the per-bundle exceptions of
 * {@link EmbeddedBundles} name bundles that exist.
 */
class EmbeddedBundlesListTest {

    @Test
    void runtimeListIsConnectorFeaturesListInItsOrder() throws IOException {
        String features = System.getProperty("features.runtime.bundles");
        assertTrue(features != null && Files.isRegularFile(Path.of(features)),
                "system property features.runtime.bundles names connector.features' runtime-bundles.txt: " + features);
        List<String> expected = Files.readAllLines(Path.of(features), StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> line.split(":").length > 5)
                .map(line -> line.split(":")[1] + ".jar").toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, files(EmbeddedBundles.list()), "bundles/bundles.list vs connector.features");
    }

    @Test
    void everyListedJarIsEmbeddedAndEveryEmbeddedJarIsListed() throws IOException {
        for (String folder : List.of(EmbeddedBundles.RUNTIME, EmbeddedBundles.WEB_CONSOLE)) {
            List<String> listed = files(EmbeddedBundles.list(folder)).stream().sorted().toList();
            assertEquals(embeddedJars(folder), listed, folder + "/bundles.list vs the jars in " + folder + "/");
        }
    }

    @Test
    void perBundleExceptionsNameEmbeddedBundles() {
        List<String> runtime = files(EmbeddedBundles.list());
        assertTrue(runtime.containsAll(EmbeddedBundles.START_LEVELS.keySet()), "START_LEVELS: " + runtime);
        assertTrue(runtime.containsAll(EmbeddedBundles.OPTIONAL), "OPTIONAL: " + runtime);
        EmbeddedBundles.list().forEach(entry -> assertEquals(entry.file().equals("connector.demo.jar"), entry.optional(),
                entry.file() + " optional"));
        assertEquals(1, EmbeddedBundles.list().stream().filter(e -> e.file().equals("org.apache.felix.log.jar"))
                .findFirst().orElseThrow().startLevel());
    }

    private static List<String> files(List<EmbeddedBundles.Entry> entries) {
        return entries.stream().map(EmbeddedBundles.Entry::file).toList();
    }

    private static List<String> embeddedJars(String folder) throws IOException {
        URL list = EmbeddedBundlesListTest.class.getClassLoader().getResource(folder + "/bundles.list");
        try (Stream<Path> files = Files.list(Path.of(list.toURI()).getParent())) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted().toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
