package io.loomzk.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts live threads, virtual ones included, by name, from a JSON thread dump of this JVM. The
 * management classes are reached reflectively: the test sources compile inside the client's
 * module, which does not read {@code jdk.management}; the tests run on the class path.
 */
final class LiveThreads {
    private static final Pattern NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

    private LiveThreads() {}

    /** How many live threads have a name containing every one of {@code fragments}. */
    static int named(String... fragments) {
        try {
            Path dir = Files.createTempDirectory("threads");
            Path file = dir.resolve("dump.json");
            try {
                dump(file);
                Matcher m = NAME.matcher(Files.readString(file));
                int n = 0;
                outer:
                while (m.find()) {
                    for (String f : fragments) {
                        if (!m.group(1).contains(f)) {
                            continue outer;
                        }
                    }
                    n++;
                }
                return n;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void dump(Path file) throws IOException {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<? extends Enum> format = (Class<? extends Enum>)
                    Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object diagnostics =
                    factory.getMethod("getPlatformMXBean", Class.class).invoke(null, bean);
            bean.getMethod("dumpThreads", String.class, format)
                    .invoke(diagnostics, file.toString(), Enum.valueOf(format, "JSON"));
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot dump the threads", e);
        }
    }
}
