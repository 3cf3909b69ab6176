package io.loomzk.client;

import java.util.Arrays;

/**
 * A session's id and password: what a process hands to another (or to its own next run) so that
 * it can take the session over with {@link ZkClientBuilder#session(SessionCredentials)} and keep
 * the session's ephemeral nodes and its place in locks and elections.
 *
 * <p><b>The password is a secret</b>: whoever has it can act as the session (and close it). Store
 * and pass it as you would any credential. This record never prints it ({@link #toString()}
 * shows the id only), and it holds and returns copies, so no caller can change another's bytes.
 *
 * @param id the session id, as the servers know it; never 0
 * @param password the session password (a copy)
 */
public record SessionCredentials(long id, byte[] password) {
    /**
     * @throws IllegalArgumentException if {@code id} is 0 (no session) or the password is empty
     *     or longer than 64 bytes (servers issue 16)
     * @throws NullPointerException if {@code password} is null
     */
    public SessionCredentials {
        if (id == 0) {
            throw new IllegalArgumentException("session id 0 means no session; a hand-over needs an existing one");
        }
        if (password.length == 0 || password.length > 64) {
            throw new IllegalArgumentException(
                    "a session password has 1 to 64 bytes (servers issue 16), not " + password.length);
        }
        password = password.clone();
    }

    /** A copy of the password: a secret. */
    @Override
    public byte[] password() {
        return password.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionCredentials other && id == other.id && Arrays.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    /** The id in hexadecimal, as servers log it; the password is masked. */
    @Override
    public String toString() {
        return "SessionCredentials[0x" + Long.toHexString(id) + ", password=****]";
    }
}
