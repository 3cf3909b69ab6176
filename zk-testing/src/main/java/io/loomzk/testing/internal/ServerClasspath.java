package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the jars of one ZooKeeper line's server, as the build resolved them.
 *
 * <p>Each hidden module {@code zk-testing-zookeeper-<line>} puts two resources on the class path
 * under {@code io/loomzk/testing/servers/<line>/}: {@code server.properties} (the exact version)
 * and {@code classpath.txt} (the server's runtime jars, {@code ;}-separated, as paths in the local
 * Maven repository prefixed with {@code REPO/}). The jars themselves are never on a test's class
 * path; only a child JVM's.
 *
 * <p>The local repository is {@code -Dloomzk.testing.mavenRepo}, else {@code -Dmaven.repo.local},
 * else {@code <localRepository>} of {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}.
 * {@code -Dloomzk.testing.zookeeper.<line>.classpath} replaces the whole list (a
 * path-separator-separated list of jars), e.g. to use a ZooKeeper distribution's {@code lib/}.
 */
public final class ServerClasspath {
    private static final String PREFIX = "REPO/";

    private ServerClasspath() {}

    /**
     * The exact version the build resolved for {@code line}, e.g. {@code 3.6.4}.
     *
     * @throws IllegalStateException if that line's descriptor is not on the class path
     */
    public static String version(String line) {
        Properties props = new Properties();
        try (InputStream in = open(line, "server.properties")) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props.getProperty("version");
    }

    /**
     * The server jars of {@code line}, each checked to exist.
     *
     * @throws IllegalStateException if the descriptor is missing or a jar is not in the local repository
     */
    public static List<Path> jars(String line) {
        String override = System.getProperty("loomzk.testing.zookeeper." + line + ".classpath");
        List<Path> jars = new ArrayList<>();
        if (override != null && !override.isBlank()) {
            for (String entry : override.split(java.io.File.pathSeparator)) {
                jars.add(Path.of(entry.trim()));
            }
        } else {
            String text;
            try (InputStream in = open(line, "classpath.txt")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path repo = localRepository();
            for (String entry : text.split(";")) {
                String e = entry.trim();
                if (!e.isEmpty()) {
                    jars.add(e.startsWith(PREFIX) ? repo.resolve(e.substring(PREFIX.length())) : Path.of(e));
                }
            }
        }
        List<Path> missing =
                jars.stream().filter(jar -> !Files.isRegularFile(jar)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("ZooKeeper " + line + " server jars are missing: " + missing
                    + ". Build zk-testing with Maven (it resolves them), or fetch them with"
                    + " `mvn dependency:get -Dartifact=org.apache.zookeeper:zookeeper:" + version(line)
                    + "`, or point -Dloomzk.testing.mavenRepo at the repository that has them.");
        }
        return jars;
    }

    /** The local Maven repository this JVM should read jars from. */
    public static Path localRepository() {
        for (String property : new String[] {"loomzk.testing.mavenRepo", "maven.repo.local"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        Path settings = m2.resolve("settings.xml");
        if (Files.isRegularFile(settings)) {
            try {
                Matcher m = Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>")
                        .matcher(Files.readString(settings));
                if (m.find()) {
                    return Path.of(m.group(1).replace("${user.home}", System.getProperty("user.home")));
                }
            } catch (IOException ignored) {
                // An unreadable settings.xml means the default repository.
            }
        }
        return m2.resolve("repository");
    }

    private static InputStream open(String line, String file) {
        String resource = "io/loomzk/testing/servers/" + line + "/" + file;
        InputStream in = ServerClasspath.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("no ZooKeeper " + line + " server descriptor (" + resource
                    + ") on the class path: add the io.loomzk:zk-testing-zookeeper-" + line + " dependency");
        }
        return in;
    }
}
