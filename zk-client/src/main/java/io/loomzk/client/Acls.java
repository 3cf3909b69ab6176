package io.loomzk.client;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.Perms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** ACL building blocks: the usual constants and the identities of the built-in schemes. */
public final class Acls {
    /** {@code world:anyone}: everybody. */
    public static final Id ANYONE = new Id("world", "anyone");

    /** {@code auth:}: every identity the creating session has authenticated as. */
    public static final Id AUTH_IDS = new Id("auth", "");

    /** Everybody may do everything. ZooKeeper's default, and unsafe outside trusted networks. */
    public static final List<ACL> OPEN_UNSAFE = List.of(new ACL(Perms.ALL, ANYONE));

    /** The creator's authenticated identities may do everything (the session must have added auth). */
    public static final List<ACL> CREATOR_ALL = List.of(new ACL(Perms.ALL, AUTH_IDS));

    /** Everybody may read; nobody may change anything. */
    public static final List<ACL> READ_UNSAFE = List.of(new ACL(Perms.READ, ANYONE));

    private Acls() {}

    /** An entry granting {@code perms} (see {@link Perms}) to everybody. */
    public static ACL world(int perms) {
        return new ACL(perms, ANYONE);
    }

    /** An entry granting {@code perms} to the identities the creating session has authenticated as. */
    public static ACL auth(int perms) {
        return new ACL(perms, AUTH_IDS);
    }

    /** An entry granting {@code perms} to clients from an address or CIDR range, e.g. {@code 10.0.0.0/8}. */
    public static ACL ip(String addressOrCidr, int perms) {
        return new ACL(perms, new Id("ip", addressOrCidr));
    }

    /**
     * An entry granting {@code perms} to a digest user, with the id computed as the server does:
     * {@code user:base64(sha1(user:password))}. Sessions authenticate as that user with
     * {@code addAuth("digest", Acls.digestCredentials(user, password))}.
     */
    public static ACL digest(String user, String password, int perms) {
        return new ACL(perms, new Id("digest", digestId(user, password)));
    }

    /** The id the digest scheme gives {@code user} with {@code password}. */
    public static String digestId(String user, String password) {
        try {
            byte[] sha1 =
                    MessageDigest.getInstance("SHA-1").digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** The credentials to pass to {@code addAuth("digest", ...)} for a digest user. */
    public static byte[] digestCredentials(String user, String password) {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }
}
