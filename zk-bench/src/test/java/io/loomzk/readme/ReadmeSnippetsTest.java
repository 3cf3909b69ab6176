package io.loomzk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java example in the README is compiled code: each {@code ```java} block must appear,
 * verbatim after removing common indentation, between {@code // readme:begin NAME} and
 * {@code // readme:end NAME} in a source of this package, which the build compiles against the
 * real modules. Regions no README block uses are stale and fail too.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```\\s*$");
    private static final Pattern REGION =
            Pattern.compile("(?ms)^[ \\t]*// readme:begin (\\S+)[ \\t]*\\n(.*?)^[ \\t]*// readme:end \\1[ \\t]*$");

    @Test
    void everyJavaBlockOfTheReadmeIsCompiledHere() throws IOException {
        List<String> blocks = readmeBlocks();
        Map<String, String> regions = regions();
        assertThat(blocks).as("java blocks in README.md").isNotEmpty();

        List<String> missing = new ArrayList<>();
        for (String block : blocks) {
            if (!regions.containsValue(block)) {
                missing.add(block);
            }
        }
        assertThat(missing)
                .as("README java blocks with no identical '// readme:begin' region under %s", sourceDir())
                .isEmpty();

        List<String> unused = new ArrayList<>();
        regions.forEach((name, text) -> {
            if (!blocks.contains(text)) {
                unused.add(name);
            }
        });
        assertThat(unused).as("regions that no README java block shows").isEmpty();
    }

    @Test
    void dedentAndRegionParsing() {
        String source = "class A {\n    // readme:begin x\n    int a;\n      int b;\n\n    // readme:end x\n}\n";
        Matcher m = REGION.matcher(source);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("x");
        assertThat(normalize(m.group(2))).isEqualTo("int a;\n  int b;");
    }

    private static List<String> readmeBlocks() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(normalize(m.group(1)));
        }
        return blocks;
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(sourceDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (file.getFileName().toString().equals("ReadmeSnippetsTest.java")) {
                    continue;
                }
                Matcher m = REGION.matcher(Files.readString(file));
                while (m.find()) {
                    String previous = regions.put(m.group(1), normalize(m.group(2)));
                    assertThat(previous).as("region name %s used twice", m.group(1)).isNull();
                }
            }
        }
        return regions;
    }

    /** Strips trailing blanks and blank edge lines, then the indentation common to all lines. */
    static String normalize(String text) {
        List<String> lines = new ArrayList<>(text.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int indent = lines.stream()
                .filter(l -> !l.isEmpty())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList());
    }

    private static Path sourceDir() {
        return Path.of("src/test/java/io/loomzk/readme").toAbsolutePath();
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("..") : dir;
    }
}
