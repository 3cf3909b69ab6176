package io.loomzk.cli;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.Perms;
import io.loomzk.protocol.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the shell shows stats, ACLs and data, as text and as JSON values. */
final class Format {
    private Format() {}

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    static Map<String, Object> stat(Stat s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("czxid", hex(s.czxid()));
        m.put("mzxid", hex(s.mzxid()));
        m.put("pzxid", hex(s.pzxid()));
        m.put("ctime", s.ctime());
        m.put("mtime", s.mtime());
        m.put("version", s.version());
        m.put("cversion", s.cversion());
        m.put("aversion", s.aversion());
        m.put("ephemeralOwner", hex(s.ephemeralOwner()));
        m.put("dataLength", s.dataLength());
        m.put("numChildren", s.numChildren());
        return m;
    }

    static String statText(Stat s) {
        return String.join(
                "\n",
                "cZxid = " + hex(s.czxid()),
                "ctime = " + Instant.ofEpochMilli(s.ctime()),
                "mZxid = " + hex(s.mzxid()),
                "mtime = " + Instant.ofEpochMilli(s.mtime()),
                "pZxid = " + hex(s.pzxid()),
                "cversion = " + s.cversion(),
                "dataVersion = " + s.version(),
                "aclVersion = " + s.aversion(),
                "ephemeralOwner = " + hex(s.ephemeralOwner()),
                "dataLength = " + s.dataLength(),
                "numChildren = " + s.numChildren());
    }

    /** The data as text when it is valid UTF-8, else null. */
    static String utf8OrNull(byte[] data) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The data as a line of text: UTF-8 when it decodes, otherwise {@code base64:…}. */
    static String dataText(byte[] data) {
        String text = utf8OrNull(data);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(data);
    }

    static Map<String, Object> data(byte[] data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", utf8OrNull(data));
        m.put("base64", Base64.getEncoder().encodeToString(data));
        return m;
    }

    static String aclText(ACL acl) {
        return acl.id().scheme() + ":" + acl.id().id() + ":" + Perms.toString(acl.perms());
    }

    static Map<String, Object> acl(ACL acl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheme", acl.id().scheme());
        m.put("id", acl.id().id());
        m.put("perms", Perms.toString(acl.perms()));
        return m;
    }

    static List<Object> acls(List<ACL> acls) {
        List<Object> list = new ArrayList<>();
        acls.forEach(a -> list.add(acl(a)));
        return list;
    }

    /**
     * Parses zkCli's ACL syntax: {@code scheme:id:perms[,scheme:id:perms…]}, perms from
     * {@code cdrwa}; the id may contain colons ({@code digest:user:hash:cdrwa}).
     */
    static List<ACL> parseAcls(String text) {
        List<ACL> acls = new ArrayList<>();
        for (String part : text.split(",")) {
            String spec = part.trim();
            int first = spec.indexOf(':');
            int last = spec.lastIndexOf(':');
            if (first <= 0 || last == first) {
                throw new CliException(
                        ExitCode.USAGE,
                        "bad ACL '" + spec + "': expected scheme:id:perms, e.g." + " world:anyone:cdrwa");
            }
            acls.add(new ACL(
                    parsePerms(spec.substring(last + 1), spec),
                    new Id(spec.substring(0, first), spec.substring(first + 1, last))));
        }
        return acls;
    }

    static int parsePerms(String perms, String spec) {
        int bits = 0;
        for (char c : perms.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> Perms.READ;
                case 'w' -> Perms.WRITE;
                case 'c' -> Perms.CREATE;
                case 'd' -> Perms.DELETE;
                case 'a' -> Perms.ADMIN;
                default ->
                    throw new CliException(
                            ExitCode.USAGE, "bad permission '" + c + "' in ACL '" + spec + "': use letters of cdrwa");
            };
        }
        if (bits == 0) {
            throw new CliException(ExitCode.USAGE, "no permissions in ACL '" + spec + "': use letters of cdrwa");
        }
        return bits;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }

    static String age(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        if (s < 172800) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
