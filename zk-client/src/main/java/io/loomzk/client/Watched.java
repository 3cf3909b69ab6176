package io.loomzk.client;

/**
 * A value read together with the one-shot watch the same call left on the node.
 *
 * @param value what the read returned
 * @param watch fires once on the next change the read's watch covers
 * @param <T> the value's type
 */
public record Watched<T>(T value, OneShotWatch watch) {}
