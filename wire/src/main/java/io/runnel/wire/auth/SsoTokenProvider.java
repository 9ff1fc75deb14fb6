package io.runnel.wire.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token of an IAM Identity Center (SSO) sign-in, from the file {@code aws sso login} leaves in
 * {@code ~/.aws/sso/cache}: {@code <key>.json}, where the key is the SHA-1 (hex) of the sso-session name for profiles
 * with {@code sso_session}, of the start URL for legacy SSO profiles. The file holds {@code accessToken} and
 * {@code expiresAt} (ISO-8601); after an sso-session sign-in also {@code refreshToken}, {@code clientId},
 * {@code clientSecret} and {@code registrationExpiresAt}.
 *
 * <p>A legacy token is used until {@code expiresAt}. An sso-session token that expires within
 * {@link #REFRESH_WINDOW} is renewed with SSO-OIDC {@code CreateToken} (grant {@code refresh_token}) and the file
 * rewritten with the new token (as the AWS CLI and SDKs do, so that they go on working with a rotated refresh token);
 * when that fails, the cached token is used while it is valid. A missing, unreadable or expired token is a
 * {@link CredentialsException} saying to run {@code aws sso login}.
 *
 * <p>Thread-safe: one call at a time. The file is read on every call (its owner calls when role credentials are due),
 * so a new sign-in is picked up without a restart.
 */
final class SsoTokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SsoTokenProvider.class);
    /** A sso-session token expiring within this is refreshed (the AWS SDK for Java 2.x's prefetch time). */
    static final Duration REFRESH_WINDOW = Duration.ofMinutes(5);
    static final String CREATE_TOKEN_PATH = "/token";

    /**
     * Where the token is and how to renew it.
     *
     * @param source       names the profile in messages ({@code profile 'dev'})
     * @param profile      the profile name, for the {@code aws sso login --profile} hint
     * @param sessionName  the sso-session name, or null for a legacy profile (whose token is never refreshed)
     * @param startUrl     the start URL of the sign-in portal
     * @param cacheFile    the cache file
     * @param oidcEndpoint the SSO-OIDC endpoint ({@code https://oidc.REGION.amazonaws.com}); null for legacy profiles
     */
    record Settings(String source, String profile, String sessionName, String startUrl, Path cacheFile,
            URI oidcEndpoint) {
        Settings {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(startUrl, "startUrl");
            Objects.requireNonNull(cacheFile, "cacheFile");
            if (sessionName != null) {
                Objects.requireNonNull(oidcEndpoint, "oidcEndpoint");
            }
        }
    }

    private final Settings settings;
    private final CredentialsHttpClient http;
    private final Clock clock;
    private final Object lock = new Object();

    /**
     * @param http the client CreateToken is sent with (owned by the caller)
     */
    SsoTokenProvider(Settings settings, CredentialsHttpClient http, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The cache file of a sign-in: {@code dir/<sha1 hex of key>.json}. */
    static Path cacheFile(Path dir, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** What to run to sign in again. */
    String loginHint() {
        return "run `aws sso login --profile " + settings.profile() + "`";
    }

    /**
     * A valid access token.
     *
     * @throws CredentialsException when there is no cached token, it cannot be read, or it has expired (and, for an
     *                              sso-session, could not be refreshed); the message says to sign in again
     */
    String accessToken() {
        synchronized (lock) {
            Map<String, String> cached = read();
            String token = EnvironmentCredentialsProvider.trimToNull(cached.get("accessToken"));
            String expires = EnvironmentCredentialsProvider.trimToNull(cached.get("expiresAt"));
            if (token == null || expires == null) {
                throw new CredentialsException(settings.source() + ": the SSO token cache " + settings.cacheFile()
                        + " has no " + (token == null ? "accessToken" : "expiresAt") + "; " + loginHint());
            }
            Instant expiresAt = CredentialsDocuments.instant(expires, "expiresAt", settings.source() + ": "
                    + settings.cacheFile());
            Instant now = clock.instant();
            if (settings.sessionName() == null || now.plus(REFRESH_WINDOW).isBefore(expiresAt)) {
                if (!now.isBefore(expiresAt)) {
                    throw new CredentialsException(settings.source() + ": the SSO token in " + settings.cacheFile()
                            + " expired at " + expiresAt + "; " + loginHint());
                }
                return token;
            }
            try {
                return refresh(cached, now);
            } catch (CredentialsException e) {
                if (now.isBefore(expiresAt)) {
                    LOG.warn("{}: cannot refresh the SSO token of sso-session {} (using the cached one until {}): {}",
                            settings.source(), settings.sessionName(), expiresAt, e.getMessage());
                    return token;
                }
                throw new CredentialsException(settings.source() + ": the SSO token in " + settings.cacheFile()
                        + " expired at " + expiresAt + " and cannot be refreshed (" + e.getMessage() + "); "
                        + loginHint(), e.errorCode(), e);
            }
        }
    }

    private Map<String, String> read() {
        byte[] body;
        try {
            body = Files.readAllBytes(settings.cacheFile());
        } catch (NoSuchFileException e) {
            throw new CredentialsException(settings.source() + ": no SSO token for " + (settings.sessionName() != null
                    ? "sso-session '" + settings.sessionName() + "'" : settings.startUrl()) + " (no "
                    + settings.cacheFile() + "); " + loginHint());
        } catch (IOException e) {
            throw new CredentialsException(settings.source() + ": cannot read the SSO token cache "
                    + settings.cacheFile() + ": " + e.getMessage() + "; " + loginHint(), e);
        }
        return CredentialsDocuments.jsonFields(body, settings.source() + ": " + settings.cacheFile());
    }

    /** CreateToken with the refresh token; writes the new token to the cache file and returns it. */
    private String refresh(Map<String, String> cached, Instant now) {
        String refreshToken = EnvironmentCredentialsProvider.trimToNull(cached.get("refreshToken"));
        String clientId = EnvironmentCredentialsProvider.trimToNull(cached.get("clientId"));
        String clientSecret = EnvironmentCredentialsProvider.trimToNull(cached.get("clientSecret"));
        if (refreshToken == null || clientId == null || clientSecret == null) {
            throw new CredentialsException("the cache has no refreshToken, clientId and clientSecret");
        }
        String registrationExpires = EnvironmentCredentialsProvider.trimToNull(cached.get("registrationExpiresAt"));
        if (registrationExpires != null && !now.isBefore(CredentialsDocuments.instant(registrationExpires,
                "registrationExpiresAt", settings.cacheFile().toString()))) {
            throw new CredentialsException("the client registration expired at " + registrationExpires);
        }
        Map<String, String> request = new LinkedHashMap<>();
        request.put("clientId", clientId);
        request.put("clientSecret", clientSecret);
        request.put("grantType", "refresh_token");
        request.put("refreshToken", refreshToken);
        URI uri = URI.create(stripSlash(settings.oidcEndpoint().toString()) + CREATE_TOKEN_PATH);
        CredentialsHttpClient.Response r = http.send("POST", uri, Map.of("Content-Type", "application/json"),
                CredentialsDocuments.jsonObject(request));
        if (r.status() != 200) {
            Map<String, String> error = CredentialsDocuments.jsonFieldsOrEmpty(r.body());
            String code = r.errorType() != null ? r.errorType() : error.get("error");
            String message = error.getOrDefault("error_description", error.get("message"));
            throw new CredentialsException("SSO-OIDC CreateToken at " + uri + " answered HTTP " + r.status()
                    + (code == null ? "" : ": " + code) + ": " + (message != null ? message : r.excerpt()), code,
                    null);
        }
        Map<String, String> answer = CredentialsDocuments.jsonFields(r.body(), "SSO-OIDC CreateToken at " + uri);
        String token = EnvironmentCredentialsProvider.trimToNull(answer.get("accessToken"));
        String expiresIn = EnvironmentCredentialsProvider.trimToNull(answer.get("expiresIn"));
        long seconds;
        try {
            seconds = expiresIn == null ? -1 : Long.parseLong(expiresIn);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (token == null || seconds <= 0) {
            throw new CredentialsException("SSO-OIDC CreateToken at " + uri + " answered no accessToken and expiresIn");
        }
        Map<String, String> updated = new LinkedHashMap<>(cached);
        updated.put("accessToken", token);
        updated.put("expiresAt", now.plusSeconds(seconds).toString());
        String newRefreshToken = EnvironmentCredentialsProvider.trimToNull(answer.get("refreshToken"));
        if (newRefreshToken != null) {
            updated.put("refreshToken", newRefreshToken);
        }
        write(updated);
        return token;
    }

    /** Replaces the cache file (a new file moved over the old one, readable by the owner only where POSIX). */
    private void write(Map<String, String> fields) {
        Path file = settings.cacheFile();
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp;
            try {
                tmp = Files.createTempFile(dir, ".runnel-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                tmp = Files.createTempFile(dir, ".runnel-", ".tmp");
            }
            try {
                Files.write(tmp, CredentialsDocuments.jsonObject(fields));
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // The new token works for this process; the next one refreshes again (or signs in, if rotated).
            LOG.warn("{}: cannot write the refreshed SSO token to {}: {}", settings.source(), file, e.toString());
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
