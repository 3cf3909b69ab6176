package io.loomzk.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;

/** Apache jute's own encoder and decoder, as the reference the differential tests compare against. */
final class Jute {
    private Jute() {}

    /** The bytes {@code BinaryOutputArchive} writes for {@code record}. */
    static byte[] write(Record record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            record.serialize(BinaryOutputArchive.getArchive(out), "record");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "jute could not write " + record.getClass().getName(), e);
        }
    }

    /**
     * Decodes {@code bytes} into {@code empty} with {@code BinaryInputArchive} and checks that jute
     * consumed every byte.
     */
    static <R extends Record> R read(byte[] bytes, R empty) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            empty.deserialize(BinaryInputArchive.getArchive(in), "record");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "jute could not read " + empty.getClass().getName(), e);
        }
        if (in.available() != 0) {
            throw new AssertionError("jute left " + in.available() + " of " + bytes.length + " bytes unread decoding "
                    + empty.getClass().getName());
        }
        return empty;
    }

    /** Maps a nullable list element by element, keeping null as null. */
    static <A, B> List<B> map(List<A> list, Function<A, B> f) {
        if (list == null) {
            return null;
        }
        List<B> out = new ArrayList<>(list.size());
        for (A a : list) {
            out.add(f.apply(a));
        }
        return out;
    }

    // Explicit converters for the records nested in others. Each names every field on both sides.

    static org.apache.zookeeper.data.Stat stat(Stat s) {
        return new org.apache.zookeeper.data.Stat(
                s.czxid(),
                s.mzxid(),
                s.ctime(),
                s.mtime(),
                s.version(),
                s.cversion(),
                s.aversion(),
                s.ephemeralOwner(),
                s.dataLength(),
                s.numChildren(),
                s.pzxid());
    }

    static Stat stat(org.apache.zookeeper.data.Stat s) {
        return new Stat(
                s.getCzxid(),
                s.getMzxid(),
                s.getCtime(),
                s.getMtime(),
                s.getVersion(),
                s.getCversion(),
                s.getAversion(),
                s.getEphemeralOwner(),
                s.getDataLength(),
                s.getNumChildren(),
                s.getPzxid());
    }

    static org.apache.zookeeper.data.Id id(Id id) {
        return new org.apache.zookeeper.data.Id(id.scheme(), id.id());
    }

    static Id id(org.apache.zookeeper.data.Id id) {
        return new Id(id.getScheme(), id.getId());
    }

    static org.apache.zookeeper.data.ACL acl(ACL acl) {
        return new org.apache.zookeeper.data.ACL(acl.perms(), id(acl.id()));
    }

    static ACL acl(org.apache.zookeeper.data.ACL acl) {
        return new ACL(acl.getPerms(), id(acl.getId()));
    }

    static List<org.apache.zookeeper.data.ACL> acls(List<ACL> acls) {
        return map(acls, Jute::acl);
    }

    static List<ACL> aclsFromJute(List<org.apache.zookeeper.data.ACL> acls) {
        return map(acls, Jute::acl);
    }

    static org.apache.zookeeper.data.ClientInfo clientInfo(ClientInfo c) {
        return new org.apache.zookeeper.data.ClientInfo(c.authScheme(), c.user());
    }

    static ClientInfo clientInfo(org.apache.zookeeper.data.ClientInfo c) {
        return new ClientInfo(c.getAuthScheme(), c.getUser());
    }
}
