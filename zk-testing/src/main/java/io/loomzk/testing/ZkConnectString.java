package io.loomzk.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link ZkExtension} for a connect string with a fresh chroot, on a {@code String} parameter
 * or field: {@code 127.0.0.1:<port>/<TestClass>.<testMethod>-<n>}. The chroot node exists (it is
 * created, empty and persistent, before the test). All such parameters and fields of one test get
 * the same chroot.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ZkConnectString {
    /** Which of the class's servers the string points at. */
    Target value() default Target.SERVER;

    /** The servers a connect string can point at. */
    enum Target {
        /** The class's {@link ZkServer}. */
        SERVER,
        /** Every server of the class's {@link ZkEnsemble}. */
        ENSEMBLE
    }
}
