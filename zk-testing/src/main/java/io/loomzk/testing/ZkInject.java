package io.loomzk.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of type {@link ZkServer}, {@link ZkEnsemble} or {@link ZkProxy} for
 * {@link ZkExtension} to fill: static fields once per class, instance fields before each test.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ZkInject {}
