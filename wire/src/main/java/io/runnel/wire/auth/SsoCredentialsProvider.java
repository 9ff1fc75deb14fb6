package io.runnel.wire.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Credentials of an IAM Identity Center (SSO) role, as an SSO profile asks for: the SSO portal's
 * {@code GetRoleCredentials} ({@code GET /federation/credentials?role_name=..&account_id=..} with the sign-in's bearer
 * token in {@code x-amz-sso_bearer_token}) at {@code https://portal.sso.REGION.amazonaws.com}, or at the endpoint
 * configured for {@code SSO} (see {@link AwsEnvironment#endpointUrl(String)}) when set. The token comes from the
 * {@code aws sso login} cache (see {@link SsoTokenProvider}). Cached and fetched again ahead of expiry (see
 * {@link FetchingCredentialsProvider}); a portal error becomes a {@link CredentialsException} carrying its type, and a
 * refused token ({@code 401}) says to sign in again.
 *
 * <p>Thread-safe.
 */
final class SsoCredentialsProvider extends FetchingCredentialsProvider {
    static final String PATH = "/federation/credentials";
    static final String TOKEN_HEADER = "x-amz-sso_bearer_token";

    /**
     * What to fetch.
     *
     * @param source         names the profile in messages
     * @param accountId      {@code sso_account_id}
     * @param roleName       {@code sso_role_name}
     * @param portalEndpoint the SSO portal endpoint
     * @param token          where the bearer token comes from
     */
    record Settings(String source, String accountId, String roleName, URI portalEndpoint,
            SsoTokenProvider.Settings token) {
        Settings {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(roleName, "roleName");
            Objects.requireNonNull(portalEndpoint, "portalEndpoint");
            Objects.requireNonNull(token, "token");
        }
    }

    private final Settings settings;
    private final SsoTokenProvider tokens;

    SsoCredentialsProvider(Settings settings, Clock clock, Duration connectTimeout, Duration requestTimeout,
            Executor prefetchExecutor, io.runnel.wire.TransportOptions options) {
        super(clock, connectTimeout, requestTimeout, prefetchExecutor, options);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tokens = new SsoTokenProvider(settings.token(), http, clock);
    }

    @Override
    Credentials fetch() {
        String token = tokens.accessToken();
        String base = settings.portalEndpoint().toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH
                + "?role_name=" + encode(settings.roleName()) + "&account_id=" + encode(settings.accountId()));
        CredentialsHttpClient.Response r;
        try {
            r = http.send("GET", uri, Map.of(TOKEN_HEADER, token, "Accept", "application/json"), null);
        } catch (CredentialsException e) {
            throw new CredentialsException(settings.source() + ": " + e.getMessage(), e.getCause());
        }
        String what = settings.source() + ": SSO GetRoleCredentials for role " + settings.roleName() + " in account "
                + settings.accountId();
        if (r.status() != 200) {
            Map<String, String> error = CredentialsDocuments.jsonFieldsOrEmpty(r.body());
            String code = r.errorType() != null ? r.errorType() : error.get("__type");
            String message = error.getOrDefault("message", error.get("Message"));
            throw new CredentialsException(what + " at " + uri.getHost() + " answered HTTP " + r.status()
                    + (code == null ? "" : ": " + code) + ": " + (message != null ? message : r.excerpt())
                    + (r.status() == 401 ? "; the SSO token was refused, " + tokens.loginHint() : ""), code, null);
        }
        Map<String, String> c = CredentialsDocuments.jsonFields(r.body(), "roleCredentials", what);
        String id = EnvironmentCredentialsProvider.trimToNull(c.get("accessKeyId"));
        String secret = EnvironmentCredentialsProvider.trimToNull(c.get("secretAccessKey"));
        String expiration = EnvironmentCredentialsProvider.trimToNull(c.get("expiration"));
        if (id == null || secret == null || expiration == null) {
            throw new CredentialsException(what + ": the answer has no roleCredentials with accessKeyId,"
                    + " secretAccessKey and expiration");
        }
        Instant expires;
        try {
            expires = Instant.ofEpochMilli(Long.parseLong(expiration));
        } catch (NumberFormatException e) {
            throw new CredentialsException(what + ": expiration is not epoch milliseconds: " + expiration, e);
        }
        return new Credentials(id, secret, EnvironmentCredentialsProvider.trimToNull(c.get("sessionToken")), expires);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "SsoCredentialsProvider[" + settings.roleName() + " in " + settings.accountId() + "]";
    }
}
