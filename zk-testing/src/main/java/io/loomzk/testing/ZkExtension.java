package io.loomzk.testing;

import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.OpCode;
import io.loomzk.testing.internal.Dirs;
import io.loomzk.testing.internal.RawSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit 5 extension behind {@link ZkTest}: injects {@link ZkServer}, {@link ZkEnsemble},
 * {@link ZkProxy} and chrooted connect strings, closes them, and fails tests that pin virtual
 * threads. See {@link ZkTest} for what is injected and for how long it lives.
 *
 * <p>Registered by {@code @ZkTest}, or by {@code @ExtendWith(ZkExtension.class)} (then with
 * {@code @ZkTest}'s defaults). Servers and ensembles start on first use, so a class that never
 * asks for one starts none. Objects live in JUnit's extension store and are closed with the
 * context that created them; stateless itself, one instance may serve parallel tests.
 */
public final class ZkExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZkExtension.class);
    private static final Duration CHROOT_TIMEOUT = Duration.ofSeconds(10);
    private static final String SERVER = "server";
    private static final String ENSEMBLE = "ensemble";
    private static final String PROXY = "proxy";
    private static final String CHROOT = "chroot-";
    private static final String COUNTER = "chroot-counter";
    private static final String PINNING = "pinning";

    /** {@link ZkTest}'s settings, from the annotation or its defaults. */
    private record Settings(
            ZkVersion version,
            boolean childProcess,
            int ensembleSize,
            boolean failOnPinning,
            List<String> pinningPackages) {
        static final Settings DEFAULTS = new Settings(ZkVersion.V3_9, false, 3, true, List.of("io.loomzk."));

        static Settings of(ZkTest t) {
            return new Settings(
                    t.version(), t.childProcess(), t.ensembleSize(), t.failOnPinning(), List.of(t.pinningPackages()));
        }
    }

    /** Creates the extension; JUnit does this. */
    public ZkExtension() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field field : injectableFields(testClass, true)) {
            set(field, null, resolve(field.getType(), field.getAnnotation(ZkConnectString.class), context));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext owner = owner(context);
        bringBack(owner);
        Settings settings = settings(owner);
        if (settings.failOnPinning()) {
            context.getStore(NAMESPACE).put(PINNING, PinningDetector.start(settings.pinningPackages()));
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : injectableFields(instance.getClass(), false)) {
                set(field, instance, resolve(field.getType(), field.getAnnotation(ZkConnectString.class), context));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PinningDetector detector = context.getStore(NAMESPACE).remove(PINNING, PinningDetector.class);
        if (detector != null) {
            detector.stopAndVerify();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ZkServer.class
                || type == ZkEnsemble.class
                || type == ZkProxy.class
                || (type == String.class && parameter.isAnnotated(ZkConnectString.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolve(
                parameter.getParameter().getType(),
                parameter.findAnnotation(ZkConnectString.class).orElse(null),
                context);
    }

    private Object resolve(Class<?> type, ZkConnectString connectString, ExtensionContext context) {
        if (type == ZkServer.class) {
            return server(context);
        }
        if (type == ZkEnsemble.class) {
            return ensemble(context);
        }
        if (type == ZkProxy.class) {
            return context.getStore(NAMESPACE)
                    .getOrComputeIfAbsent(
                            PROXY + context.getUniqueId(),
                            k -> ZkProxy.builder(server(context).connectString())
                                    .chroot(chroot(context, ZkConnectString.Target.SERVER))
                                    .start(),
                            ZkProxy.class);
        }
        if (type == String.class && connectString != null) {
            ZkConnectString.Target target = connectString.value();
            String hosts = target == ZkConnectString.Target.SERVER
                    ? server(context).connectString()
                    : ensemble(context).connectString();
            return hosts + chroot(context, target);
        }
        throw new ExtensionConfigurationException("ZkExtension cannot inject a " + type.getName()
                + (type == String.class ? " without @ZkConnectString" : ""));
    }

    private ZkServer server(ExtensionContext context) {
        ExtensionContext owner = owner(context);
        Settings settings = settings(owner);
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        SERVER,
                        k -> {
                            ZkServer.Builder builder = ZkServer.builder().version(settings.version());
                            if (settings.childProcess()) {
                                builder.childProcess();
                            }
                            return builder.name(Dirs.uniqueName(
                                            owner.getRequiredTestClass().getSimpleName() + "-server"))
                                    .start();
                        },
                        ZkServer.class);
    }

    private ZkEnsemble ensemble(ExtensionContext context) {
        ExtensionContext owner = owner(context);
        Settings settings = settings(owner);
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        ENSEMBLE,
                        k -> ZkEnsemble.builder()
                                .size(settings.ensembleSize())
                                .version(settings.version())
                                .name(Dirs.uniqueName(
                                        owner.getRequiredTestClass().getSimpleName() + "-ensemble"))
                                .start(),
                        ZkEnsemble.class);
    }

    /** The chroot of this context (a test, or a class at class level), created on first use. */
    private String chroot(ExtensionContext context, ZkConnectString.Target target) {
        // Keyed by context: a store also answers with its parents' values, and a test's chroot
        // must not be the class's.
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        CHROOT + target + context.getUniqueId(),
                        k -> {
                            ExtensionContext owner = owner(context);
                            int n = owner.getStore(NAMESPACE)
                                    .getOrComputeIfAbsent(COUNTER, c -> new AtomicInteger(), AtomicInteger.class)
                                    .incrementAndGet();
                            String className = context.getRequiredTestClass().getName();
                            String name = className.substring(className.lastIndexOf('.') + 1)
                                    + context.getTestMethod()
                                            .map(m -> "." + m.getName())
                                            .orElse("") + "-" + n;
                            String path = "/" + name.replaceAll("[^A-Za-z0-9_.$-]", "_");
                            String hosts = target == ZkConnectString.Target.SERVER
                                    ? server(context).connectString()
                                    : ensemble(context).connectString();
                            createNode(hosts, path);
                            return path;
                        },
                        String.class);
    }

    private static void createNode(String connectString, String path) {
        try (RawSession session = RawSession.connect(connectString, 0, new byte[16], CHROOT_TIMEOUT)) {
            ErrorCode result = session.call(OpCode.CREATE, new CreateRequest(path, new byte[0], RawSession.OPEN_ACL, 0))
                    .error();
            if (result != ErrorCode.OK && result != ErrorCode.NODE_EXISTS) {
                throw new IllegalStateException(
                        "cannot create chroot " + path + " on " + connectString + ": " + result);
            }
            session.call(OpCode.CLOSE_SESSION, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create chroot " + path + " on " + connectString, e);
        }
    }

    /** Restarts the class's server, and servers of its ensemble, that a previous test left down. */
    private static void bringBack(ExtensionContext owner) {
        ExtensionContext.Store store = owner.getStore(NAMESPACE);
        ZkServer server = store.get(SERVER, ZkServer.class);
        if (server != null && !server.isRunning()) {
            server.restart();
        }
        ZkEnsemble ensemble = store.get(ENSEMBLE, ZkEnsemble.class);
        if (ensemble != null) {
            for (int i = 0; i < ensemble.size(); i++) {
                if (!ensemble.isRunning(i)) {
                    ensemble.resume(i);
                    ensemble.start(i);
                }
            }
        }
    }

    /** The context that owns class-wide objects: the outermost class annotated with @ZkTest. */
    private static ExtensionContext owner(ExtensionContext context) {
        ExtensionContext owner = null;
        ExtensionContext firstClass = null;
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            ExtensionContext ctx = c.get();
            if (ctx.getTestClass().isEmpty() || ctx.getTestMethod().isPresent()) {
                continue;
            }
            if (firstClass == null) {
                firstClass = ctx;
            }
            if (AnnotationSupport.isAnnotated(ctx.getRequiredTestClass(), ZkTest.class)) {
                owner = ctx;
            }
        }
        if (owner != null) {
            return owner;
        }
        if (firstClass != null) {
            return firstClass;
        }
        throw new ExtensionConfigurationException("ZkExtension needs a test class context");
    }

    private static Settings settings(ExtensionContext owner) {
        return AnnotationSupport.findAnnotation(owner.getRequiredTestClass(), ZkTest.class)
                .map(Settings::of)
                .orElse(Settings.DEFAULTS);
    }

    private static List<Field> injectableFields(Class<?> type, boolean statics) {
        return ReflectionSupport.findFields(
                type,
                f -> Modifier.isStatic(f.getModifiers()) == statics
                        && (f.isAnnotationPresent(ZkInject.class) || f.isAnnotationPresent(ZkConnectString.class)),
                HierarchyTraversalMode.TOP_DOWN);
    }

    private static void set(Field field, Object instance, Object value) {
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException("cannot inject into final field " + field);
        }
        if (field.isAnnotationPresent(ZkConnectString.class) != (field.getType() == String.class)) {
            throw new ExtensionConfigurationException(
                    "@ZkConnectString goes on String fields, @ZkInject on ZkServer, ZkEnsemble or ZkProxy fields: "
                            + field);
        }
        try {
            field.setAccessible(true);
            field.set(instance, value);
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException("cannot inject into " + field, e);
        }
    }
}
