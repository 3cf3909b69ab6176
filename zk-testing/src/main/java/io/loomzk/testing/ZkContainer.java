package io.loomzk.testing;

import io.loomzk.testing.internal.FourLetterWords;
import io.loomzk.testing.internal.Pause;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A ZooKeeper server in a Docker container of the official {@code zookeeper} image, through
 * Testcontainers: an optional backend for machines with a Docker engine, e.g. to test against an
 * image a deployment really uses.
 *
 * <p>Testcontainers is an optional dependency of zk-testing: add
 * {@code org.testcontainers:testcontainers} to use this class. Check {@link #isDockerAvailable()}
 * first and skip otherwise:
 *
 * <pre>{@code
 * assumeTrue(ZkContainer.isDockerAvailable(), ZkContainer::whyUnavailable);
 * try (ZkContainer zk = ZkContainer.start("zookeeper:3.8")) { ... zk.connectString() ... }
 * }</pre>
 *
 * <p>{@link #start} blocks until the server answers (pulling the image the first time can take
 * minutes). Unlike {@link ZkServer}, the mapped port changes if the container is recreated, so
 * there is no restart.
 */
public final class ZkContainer implements AutoCloseable {
    /** The image used when none is named. */
    public static final String DEFAULT_IMAGE = "zookeeper:3.9";

    private static final int CLIENT_PORT = 2181;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final String image;
    private final Docker.Handle container;

    private ZkContainer(String image, Docker.Handle container) {
        this.image = image;
        this.container = container;
    }

    /**
     * Whether Testcontainers is on the class path and finds a Docker engine. May take a moment
     * the first time (Testcontainers probes the usual places); the answer is cached by it.
     */
    public static boolean isDockerAvailable() {
        return whyUnavailable().isEmpty();
    }

    /** Why containers cannot run here, or empty if they can. */
    public static Optional<String> whyUnavailable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, ZkContainer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.of("Testcontainers (org.testcontainers:testcontainers) is not on the class path");
        }
        return Docker.whyUnavailable();
    }

    /** {@link #start(String)} with {@link #DEFAULT_IMAGE}. */
    public static ZkContainer start() {
        return start(DEFAULT_IMAGE);
    }

    /**
     * Starts a container of {@code image} (an official {@code zookeeper} image, or one built like
     * it) and blocks until ZooKeeper serves on its mapped port.
     *
     * @throws IllegalStateException if Docker is not available (the message says why), or the
     *     server does not serve within 2 minutes
     */
    public static ZkContainer start(String image) {
        Objects.requireNonNull(image, "image");
        whyUnavailable().ifPresent(why -> {
            throw new IllegalStateException("cannot run " + image + ": " + why);
        });
        Docker.Handle container = Docker.start(image);
        ZkContainer zk = new ZkContainer(image, container);
        try {
            zk.awaitServing();
            return zk;
        } catch (RuntimeException e) {
            zk.close();
            throw e;
        }
    }

    /** {@code <docker host>:<mapped port>}. */
    public String connectString() {
        return container.host() + ":" + container.port();
    }

    /** Stops and removes the container. */
    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "container " + image + " at " + connectString();
    }

    private void awaitServing() {
        long deadline = Pause.deadline(START_TIMEOUT);
        while (!Pause.passed(deadline)) {
            if (container.host().equals("localhost") || container.host().equals("127.0.0.1")) {
                if (FourLetterWords.mode(container.port(), Duration.ofSeconds(1))
                        .isPresent()) {
                    return;
                }
            } else if (container.isRunning()) {
                return; // A remote Docker host: the four-letter-word probe only speaks loopback.
            }
            Pause.sleep(200, image + " to serve");
        }
        throw new IllegalStateException(image + " did not serve within " + START_TIMEOUT);
    }

    /** Every use of Testcontainers' classes, so that ZkContainer loads without them. */
    private static final class Docker {
        interface Handle {
            String host();

            int port();

            boolean isRunning();

            void stop();
        }

        static Optional<String> whyUnavailable() {
            try {
                return DockerClientFactory.instance().isDockerAvailable()
                        ? Optional.empty()
                        : Optional.of("no Docker engine found by Testcontainers (checked DOCKER_HOST, "
                                + "~/.testcontainers.properties, /var/run/docker.sock and the other usual places)");
            } catch (RuntimeException | LinkageError e) {
                return Optional.of("Testcontainers cannot talk to Docker: " + e);
            }
        }

        static Handle start(String image) {
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                    .withExposedPorts(CLIENT_PORT)
                    .withEnv("ZOO_4LW_COMMANDS_WHITELIST", "*")
                    .withEnv("ZOO_ADMINSERVER_ENABLED", "false");
            c.start();
            return new Handle() {
                @Override
                public String host() {
                    return c.getHost();
                }

                @Override
                public int port() {
                    return c.getMappedPort(CLIENT_PORT);
                }

                @Override
                public boolean isRunning() {
                    return c.isRunning();
                }

                @Override
                public void stop() {
                    c.stop();
                }
            };
        }
    }
}
