package io.loomzk.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Variable handles for this package's lock-free fields. */
final class Handles {
    private Handles() {}

    /**
     * The handle of a field declared by {@code lookup}'s class; for static initializers.
     *
     * @throws ExceptionInInitializerError if there is no such field
     */
    static VarHandle field(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
