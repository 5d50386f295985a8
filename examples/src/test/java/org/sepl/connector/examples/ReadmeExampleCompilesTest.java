package org.sepl.connector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-Java gateway the top-level README shows compiles against what its dependency list names: the README's
 * code is taken from the file itself, so it cannot drift from the API.
 */
class ReadmeExampleCompilesTest {

    /** The root README, passed by the pom (the test never guesses the working directory). */
    private static final Path README = Path.of(System.getProperty("readme", "../README.md"));
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

    @TempDir
    Path classes;

    @Test
    void thePlainJavaGatewayOfTheReadmeCompiles() {
        String source = plainJavaExample();
        Matcher name = CLASS_NAME.matcher(source);
        assertTrue(name.find(), "the README's example declares a public class");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + name.group(1) + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            boolean compiled = javac.getTask(diagnostics, files, null,
                    List.of("--release", "17", "-Xlint:all", "-Werror", "-d", classes.toString(),
                            "-classpath", System.getProperty("readme.classpath")),
                    null, List.of(unit)).call();
            assertTrue(compiled, "README.md's plain-Java example does not compile:\n" + diagnostics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals("", diagnostics.toString().strip(), "javac warned");
    }

    /** The first Java block after the "## Plain Java" heading. */
    private static String plainJavaExample() {
        try {
            String readme = Files.readString(README);
            int section = readme.indexOf("\n## Plain Java");
            assertTrue(section >= 0, README + " has no \"## Plain Java\" section");
            Matcher block = JAVA_BLOCK.matcher(readme);
            assertTrue(block.find(section), README + " has no ```java block after \"## Plain Java\"");
            return block.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
