package io.loomzk.bench;

/** Placeholder. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {}
}
