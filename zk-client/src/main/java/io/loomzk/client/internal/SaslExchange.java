package io.loomzk.client.internal;

import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.GetSASLRequest;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.SetSASLResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.RealmChoiceCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * The SASL exchange a session runs on each new connection, after the handshake and before
 * anything else is sent: DIGEST-MD5 or GSSAPI (Kerberos) through {@code javax.security.sasl},
 * each token a {@code sasl} request (op code 102, a {@code GetSASLRequest}) answered by a
 * {@code SetSASLResponse}, until the client's mechanism is complete.
 *
 * <p>The wire contract, as the servers implement it: the client speaks first (an empty token for
 * DIGEST-MD5, which has no initial response); the server answers every token with its own (an
 * empty or absent one once it is done) and adds a {@code sasl} identity to the connection when its
 * side completes; it refuses a login by answering the token with {@link ErrorCode#AUTH_FAILED}
 * (or {@link ErrorCode#SESSION_CLOSED_REQUIRE_SASL_AUTH} when it requires SASL) and closing the
 * session. DIGEST-MD5 names the service {@code zookeeper} on the host {@code zk-sasl-md5}, as
 * every server expects; GSSAPI names {@code service/host} (see {@link #serverPrincipal}).
 *
 * <p>A refusal, a failed JAAS login or a mechanism error on the client's side ends the session
 * ({@link Result.Refused}): credentials that failed once fail again, and trying again would only
 * hammer the server. A failure on the client's side also closes the session on the server, so
 * that its ephemeral nodes go at once (the server closes it itself when it refuses). A lost connection or a timeout is a connection failure like any other
 * ({@link Result.Dropped}): the session backs off and tries the next server. A server that closes
 * the connection in answer to a token {@value #MAX_DROPS} times in a row (older servers, 3.5.8 for
 * one, refuse a login that way, without a reply) is taken as a refusal; a connection this client
 * closed itself for silence does not count.
 *
 * <p>Owned by the session loop: every method runs on its thread, so no field needs a lock.
 * Nothing here logs or prints a password, a token or a ticket; only sizes.
 */
final class SaslExchange {
    private static final System.Logger LOG = System.getLogger(SaslExchange.class.getName());

    static final String DIGEST_MD5 = "DIGEST-MD5";
    static final String GSSAPI = "GSSAPI";
    /** The service and host names every ZooKeeper server's DIGEST-MD5 side uses. */
    private static final String DIGEST_PROTOCOL = "zookeeper";

    private static final String DIGEST_SERVER_NAME = "zk-sasl-md5";
    private static final String DIGEST_MODULE_SUFFIX = "DigestLoginModule";
    /** Consecutive connections closed in answer to a token that count as a refusal. */
    static final int MAX_DROPS = 3;
    /** More rounds than any mechanism needs: a server that keeps answering is broken. */
    private static final int MAX_ROUNDS = 16;
    /** A JAAS login is renewed when its ticket-granting ticket ends within this much. */
    private static final long RELOGIN_MARGIN_MILLIS = TimeUnit.MINUTES.toMillis(1);
    /** How long a failed login waits for the server to close the session. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SaslConfig config;

    /** The JAAS login in use ({@link SaslConfig.Source#JAAS} with a Kerberos module), or null. */
    private LoginContext login;
    /** Connections in a row closed by the server in answer to a token. */
    private int drops;

    SaslExchange(SaslConfig config) {
        this.config = config;
    }

    /** What an exchange came to. */
    sealed interface Result {
        /** The server accepted the login; the connection may carry calls. */
        record Authenticated(String mechanism) implements Result {}

        /** The connection failed first (lost, or silent past the deadline): try again elsewhere. */
        record Dropped(Throwable cause) implements Result {}

        /** The login was refused, or could not be attempted: the session ends with this failure. */
        record Refused(Failure.SessionEnded failure, boolean byServer) implements Result {}
    }

    /** Starts afresh after the session was restarted. */
    void reset() {
        drops = 0;
    }

    /**
     * Runs the exchange on {@code c}, started and carrying nothing else, before {@code deadlineNanos}.
     * Blocks the session loop; closing {@code c} ends it at once.
     */
    Result run(Connection c, long deadlineNanos) {
        Result result = attempt(c, deadlineNanos);
        if (result instanceof Result.Refused refused && !refused.byServer()) {
            closeSession(c); // the server still holds the session, which ends here
        }
        return result;
    }

    /**
     * Closes the session on the server (waiting at most {@link #CLOSE_WAIT_NANOS}) after the
     * client gave up on its own side: its ephemeral nodes go now, not a session timeout later.
     */
    private static void closeSession(Connection c) {
        Call<Void> bye = Call.of(OpCode.CLOSE_SESSION, null, System.nanoTime() + CLOSE_WAIT_NANOS);
        c.submit(bye);
        try {
            bye.await();
        } catch (Failure f) {
            LOG.log(Level.DEBUG, () -> "closing the session after a failed SASL login: " + f);
        }
    }

    private Result attempt(Connection c, long deadlineNanos) {
        Credentials credentials;
        try {
            credentials = credentials();
        } catch (LoginException | SaslException | RuntimeException e) {
            return refused(ErrorCode.AUTH_FAILED.code(), "SASL login failed: " + describe(e), e);
        }
        SaslClient client;
        try {
            client = credentials.create(c.server());
        } catch (SaslException | RuntimeException e) {
            credentials.clear();
            return refused(ErrorCode.AUTH_FAILED.code(), credentials.mechanism + " cannot start: " + describe(e), e);
        }
        try {
            return exchange(c, credentials, client, deadlineNanos);
        } finally {
            dispose(client);
            credentials.clear();
        }
    }

    private Result exchange(Connection c, Credentials credentials, SaslClient client, long deadlineNanos) {
        String mechanism = credentials.mechanism;
        byte[] token;
        try {
            token = client.hasInitialResponse() ? credentials.evaluate(client, new byte[0]) : new byte[0];
        } catch (SaslException | RuntimeException e) {
            return refused(ErrorCode.AUTH_FAILED.code(), mechanism + " failed on the client: " + describe(e), e);
        }
        for (int round = 0; token != null; round++) {
            if (round == MAX_ROUNDS) {
                return refused(
                        ErrorCode.AUTH_FAILED.code(),
                        mechanism + " did not complete in " + MAX_ROUNDS + " rounds with " + c.server(),
                        null);
            }
            Call<SetSASLResponse> call =
                    Call.of(OpCode.SASL, new GetSASLRequest(token), SetSASLResponse::read, null, deadlineNanos);
            int sentBytes = token.length;
            c.submit(call);
            SetSASLResponse response;
            try {
                response = call.await();
            } catch (Failure f) {
                return failed(f, mechanism, c.server());
            }
            byte[] reply = response != null && response.token() != null ? response.token() : new byte[0];
            LOG.log(
                    Level.TRACE,
                    () -> mechanism + " round with " + c.server() + ": sent " + sentBytes + " bytes, got "
                            + reply.length);
            if (client.isComplete()) {
                break; // the server answered our last token: its side is done too
            }
            try {
                token = credentials.evaluate(client, reply);
            } catch (SaslException | RuntimeException e) {
                return refused(
                        ErrorCode.AUTH_FAILED.code(),
                        mechanism + " failed on the client (the server's answer did not verify): " + describe(e),
                        e);
            } finally {
                Arrays.fill(reply, (byte) 0);
            }
        }
        if (!client.isComplete()) {
            return refused(
                    ErrorCode.AUTH_FAILED.code(),
                    mechanism + " with " + c.server() + " ended before the client's side completed",
                    null);
        }
        drops = 0;
        LOG.log(Level.DEBUG, () -> "authenticated with " + mechanism + " to " + c.server());
        return new Result.Authenticated(mechanism);
    }

    private Result failed(Failure f, String mechanism, InetSocketAddress serverAddress) {
        if (f instanceof Failure.ServerError server) {
            int code = server.code();
            String why = code == ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH.code()
                    ? "the server requires SASL authentication and refused this " + mechanism + " login"
                    : "the server refused the " + mechanism + " login ("
                            + ErrorCode.of(code).description() + ")";
            return refusedByServer(
                    SessionEnd.ofServerCode(code) != null ? code : ErrorCode.AUTH_FAILED.code(),
                    why + "; server " + serverAddress,
                    null);
        }
        // the peer closed the connection on a token it had (this client's own read timeout is no answer)
        boolean closedByPeer =
                f instanceof Failure.ConnectionLost && f.sent() && !(f.getCause() instanceof SocketTimeoutException);
        if (closedByPeer && ++drops >= MAX_DROPS) {
            return refusedByServer(
                    ErrorCode.AUTH_FAILED.code(),
                    "the server closed the connection in answer to a " + mechanism + " token " + drops
                            + " times in a row (how older servers refuse a login); last: " + serverAddress,
                    f.getCause());
        }
        Throwable cause = f.getCause() != null
                ? f.getCause()
                : new IOException("no SASL answer from " + serverAddress + " before the deadline (" + f + ")");
        return new Result.Dropped(cause);
    }

    /** A refusal on the client's side: the login or the mechanism failed here. */
    private static Result refused(int code, String reason, Throwable cause) {
        return refusal(code, reason, cause, false);
    }

    /** A refusal by the server, which then closes the session itself. */
    private static Result refusedByServer(int code, String reason, Throwable cause) {
        return refusal(code, reason, cause, true);
    }

    private static Result refusal(int code, String reason, Throwable cause, boolean byServer) {
        SaslException why = new SaslException(reason, cause);
        LOG.log(Level.WARNING, () -> "SASL authentication failed; the session ends: " + reason);
        return new Result.Refused(Failure.SessionEnded.authRefused(code, why), byServer);
    }

    /** The message of {@code e} and its causes, which carry no secrets (JDK messages and ours). */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    private static void dispose(SaslClient client) {
        try {
            client.dispose();
        } catch (SaslException ignored) {
            // nothing left to release
        }
    }

    // ---- credentials

    /** The credentials for the next exchange, logging in (again) with JAAS if needed. */
    private Credentials credentials() throws LoginException, SaslException {
        return switch (config.source()) {
            case DIGEST ->
                new Credentials(DIGEST_MD5, config.user(), config.password().clone(), null);
            case SUBJECT -> new Credentials(GSSAPI, null, null, config.subject());
            case JAAS -> fromJaas(config.jaasSection());
        };
    }

    private Credentials fromJaas(String section) throws LoginException, SaslException {
        Configuration jaas = Configuration.getConfiguration();
        AppConfigurationEntry[] entries = jaas.getAppConfigurationEntry(section);
        if (entries == null || entries.length == 0) {
            throw new LoginException("no JAAS section '" + section + "' in the login configuration"
                    + (System.getProperty("java.security.auth.login.config") == null
                            ? " (java.security.auth.login.config is not set)"
                            : " (" + System.getProperty("java.security.auth.login.config") + ")"));
        }
        if (Arrays.stream(entries).allMatch(e -> e.getLoginModuleName().endsWith(DIGEST_MODULE_SUFFIX))) {
            Map<String, ?> options = entries[0].getOptions();
            Object user = options.get("username");
            Object password = options.get("password");
            if (!(user instanceof String u) || u.isEmpty() || !(password instanceof String p)) {
                throw new LoginException("JAAS section '" + section + "' has a " + DIGEST_MODULE_SUFFIX
                        + " without both the username and password options");
            }
            return new Credentials(DIGEST_MD5, u, p.toCharArray(), null);
        }
        if (login == null || ticketEndsSoon(login.getSubject())) {
            LoginContext fresh = new LoginContext(section, new Subject(), NO_CALLBACKS, jaas);
            try {
                fresh.login();
            } catch (LoginException e) {
                LoginException clear = new LoginException("JAAS login of section '" + section + "' failed (a module"
                        + " that prompts for a password usually means the keytab does not hold the principal): "
                        + e.getMessage());
                clear.initCause(e);
                throw clear;
            }
            if (fresh.getSubject().getPrincipals(KerberosPrincipal.class).isEmpty()) {
                fresh.logout();
                throw new LoginException("the JAAS login of section '" + section
                        + "' gave no Kerberos principal, and it has no " + DIGEST_MODULE_SUFFIX);
            }
            LoginContext old = login;
            login = fresh;
            if (old != null) {
                logoutQuietly(old);
            }
            LOG.log(
                    Level.DEBUG,
                    () -> "JAAS login of section '" + section + "' as "
                            + fresh.getSubject().getPrincipals(KerberosPrincipal.class));
        }
        return new Credentials(GSSAPI, null, null, login.getSubject());
    }

    /** Whether the subject's ticket-granting ticket is missing, expired or about to expire. */
    static boolean ticketEndsSoon(Subject subject) {
        long now = System.currentTimeMillis();
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            Date end = t.getEndTime();
            if (t.getServer().getName().startsWith("krbtgt/")
                    && !t.isDestroyed()
                    && end != null
                    && end.getTime() - now > RELOGIN_MARGIN_MILLIS) {
                return false;
            }
        }
        return true;
    }

    /** Logs out of the JAAS login, if any; called when the session ends for good. */
    void close() {
        LoginContext l = login;
        login = null;
        if (l != null) {
            logoutQuietly(l);
        }
    }

    private static void logoutQuietly(LoginContext l) {
        try {
            l.logout();
        } catch (LoginException e) {
            LOG.log(Level.DEBUG, () -> "JAAS logout failed: " + e.getMessage());
        }
    }

    private static final CallbackHandler NO_CALLBACKS = callbacks -> {
        throw new UnsupportedCallbackException(
                callbacks.length > 0 ? callbacks[0] : null,
                "no prompt is answered (LoomZK runs JAAS logins without a user)");
    };

    /**
     * Where one exchange gets its answers: a DIGEST-MD5 user and password (a copy, cleared when the
     * client is disposed), or a subject to run GSSAPI as.
     */
    private final class Credentials implements CallbackHandler {
        final String mechanism;
        private final String user;
        private final char[] password;
        private final Subject subject;

        Credentials(String mechanism, String user, char[] password, Subject subject) {
            this.mechanism = mechanism;
            this.user = user;
            this.password = password;
            this.subject = subject;
        }

        SaslClient create(InetSocketAddress server) throws SaslException {
            if (subject == null) {
                return Sasl.createSaslClient(
                        new String[] {DIGEST_MD5}, null, DIGEST_PROTOCOL, DIGEST_SERVER_NAME, Map.of(), this);
            }
            String[] principal = serverPrincipal(server).split("/", 2);
            SaslClient client = as(() -> Sasl.createSaslClient(
                    new String[] {GSSAPI}, null, principal[0], principal[1], Map.of(Sasl.QOP, "auth"), this));
            if (client == null) {
                throw new SaslException("no SASL client for GSSAPI in this JDK");
            }
            return client;
        }

        /** Clears this copy of the password: the exchange is over. */
        void clear() {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }

        byte[] evaluate(SaslClient client, byte[] challenge) throws SaslException {
            return subject == null
                    ? client.evaluateChallenge(challenge)
                    : as(() -> client.evaluateChallenge(challenge));
        }

        private <T> T as(SaslAction<T> action) throws SaslException {
            try {
                return Subject.callAs(subject, action::run);
            } catch (CompletionException e) {
                if (e.getCause() instanceof SaslException s) {
                    throw s;
                }
                throw new SaslException("GSSAPI failed: " + describe(e.getCause()), e.getCause());
            }
        }

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback cb : callbacks) {
                switch (cb) {
                    case NameCallback name -> name.setName(user != null ? user : name.getDefaultName());
                    case PasswordCallback pass -> {
                        if (password == null) {
                            throw new UnsupportedCallbackException(cb, "no password for " + mechanism);
                        }
                        pass.setPassword(password); // copied by the callback
                    }
                    case RealmCallback realm -> realm.setText(realm.getDefaultText());
                    case RealmChoiceCallback choice -> choice.setSelectedIndex(0);
                    case AuthorizeCallback authorize ->
                        authorize.setAuthorized(authorize.getAuthenticationID().equals(authorize.getAuthorizationID()));
                    default -> throw new UnsupportedCallbackException(cb, "unexpected SASL callback");
                }
            }
        }
    }

    /** A step that may throw a {@link SaslException}, run as a subject. */
    @FunctionalInterface
    private interface SaslAction<T> {
        T run() throws SaslException;
    }

    /**
     * The Kerberos principal of {@code server}, {@code service/host}: the configured one without
     * its realm, or the service name and the server's host, canonicalized as configured.
     */
    String serverPrincipal(InetSocketAddress server) {
        String fixed = config.serverPrincipal();
        if (fixed != null) {
            int at = fixed.indexOf('@');
            return at >= 0 ? fixed.substring(0, at) : fixed;
        }
        return config.serviceName() + "/" + serverHost(server, config.canonicalizeHostName());
    }

    /**
     * The host part of a server's principal: its canonical host name when asked for and the
     * reverse lookup gives a name (not just the address back), else the host as given.
     */
    static String serverHost(InetSocketAddress server, boolean canonicalize) {
        InetAddress address = server.getAddress();
        if (canonicalize && address != null) {
            String canonical = address.getCanonicalHostName();
            if (!canonical.equals(address.getHostAddress())) {
                return canonical;
            }
        }
        return server.getHostString();
    }
}
