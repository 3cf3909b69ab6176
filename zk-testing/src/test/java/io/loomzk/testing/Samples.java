package io.loomzk.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Sample test classes run only through {@link #run}: a build that selects them directly (say
 * with {@code -Dtest=*Pinning*}) skips them instead of running their deliberate failures.
 */
final class Samples {
    private static final String KEY = "io.loomzk.testing.samples";

    private Samples() {}

    /** Marks a sample class. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(OnlyThroughTestKit.class)
    @interface Sample {}

    /** Runs a sample class through JUnit Jupiter in this JVM. */
    static EngineTestKit.Builder run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(KEY, "true")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(sample));
    }

    static final class OnlyThroughTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KEY).isPresent()
                    ? ConditionEvaluationResult.enabled("run as a sample")
                    : ConditionEvaluationResult.disabled("a sample, run by another test through EngineTestKit");
        }
    }
}
