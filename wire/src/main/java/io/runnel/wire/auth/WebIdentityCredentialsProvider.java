package io.runnel.wire.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Credentials of a role assumed with a web identity token, as EKS IAM roles for service accounts (IRSA) set up: the
 * token is read from {@code AWS_WEB_IDENTITY_TOKEN_FILE} (again for every fetch, as Kubernetes rotates it) and
 * exchanged for credentials of {@code AWS_ROLE_ARN} with STS {@code AssumeRoleWithWebIdentity}; the session is named
 * {@code AWS_ROLE_SESSION_NAME}, or {@code runnel-<millis>} when that is not set.
 *
 * <p>The call is an unsigned Query-protocol POST to {@code https://sts.REGION.amazonaws.com} (region from
 * {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}; {@code amazonaws.com.cn} for {@code cn-} regions; the global
 * {@code https://sts.amazonaws.com} when neither is set), or to {@code AWS_ENDPOINT_URL_STS} (else
 * {@code AWS_ENDPOINT_URL}) when set. An STS error becomes a {@link CredentialsException} whose message and
 * {@link CredentialsException#errorCode()} name the STS code.
 *
 * <p>When {@code AWS_WEB_IDENTITY_TOKEN_FILE} or {@code AWS_ROLE_ARN} is not set, {@link #resolveCredentials()} fails
 * at once, without network I/O. Credentials are cached and fetched again in the background ahead of their
 * expiration (see {@link RefreshingCredentialsProvider}).
 *
 * <p>Thread-safe. {@link #close()} releases the connection and I/O thread once STS was called.
 */
public final class WebIdentityCredentialsProvider extends FetchingCredentialsProvider {
    static final String TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
    static final String ROLE_ARN = "AWS_ROLE_ARN";
    static final String ROLE_SESSION_NAME = "AWS_ROLE_SESSION_NAME";
    static final String REGION = "AWS_REGION";
    static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    static final String ENDPOINT_URL_STS = "AWS_ENDPOINT_URL_STS";
    static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    private static final String SOURCE = "web identity";

    private final Map<String, String> environment;
    private final String generatedSessionName;

    /** Reads the process environment; refreshes on the system clock. */
    public WebIdentityCredentialsProvider() {
        this(System.getenv(), Clock.systemUTC());
    }

    /**
     * @param environment the environment variables to read (for tests and embedding), read again for every fetch
     * @param clock       the clock expirations are compared with (and the generated session name is taken from)
     */
    public WebIdentityCredentialsProvider(Map<String, String> environment, Clock clock) {
        this(environment, clock, Duration.ofSeconds(3), Duration.ofSeconds(10), null);
    }

    WebIdentityCredentialsProvider(Map<String, String> environment, Clock clock, Duration connectTimeout,
            Duration requestTimeout, Executor prefetchExecutor) {
        super(clock, connectTimeout, requestTimeout, prefetchExecutor);
        this.environment = Objects.requireNonNull(environment, "environment");
        this.generatedSessionName = "runnel-" + clock.millis();
    }

    /**
     * @throws CredentialsException when the variables are not set, the token file cannot be read, STS cannot be
     *                              reached, or STS answers with an error (its code in
     *                              {@link CredentialsException#errorCode()})
     */
    @Override
    public Credentials resolveCredentials() {
        return super.resolveCredentials();
    }

    @Override
    Credentials fetch() {
        String tokenFile = EnvironmentCredentialsProvider.trimToNull(environment.get(TOKEN_FILE));
        String roleArn = EnvironmentCredentialsProvider.trimToNull(environment.get(ROLE_ARN));
        if (tokenFile == null || roleArn == null) {
            throw new CredentialsException(SOURCE + ": " + (tokenFile == null ? TOKEN_FILE : ROLE_ARN) + " is not set");
        }
        String token;
        try {
            token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw new CredentialsException(SOURCE + ": cannot read " + TOKEN_FILE + " " + tokenFile + ": " + e, e);
        }
        if (token.isEmpty()) {
            throw new CredentialsException(SOURCE + ": " + TOKEN_FILE + " " + tokenFile + " is empty");
        }
        String sessionName = EnvironmentCredentialsProvider.trimToNull(environment.get(ROLE_SESSION_NAME));
        String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                + "&RoleArn=" + formEncode(roleArn)
                + "&RoleSessionName=" + formEncode(sessionName == null ? generatedSessionName : sessionName)
                + "&WebIdentityToken=" + formEncode(token);
        URI endpoint = endpoint();
        CredentialsHttpClient.Response r;
        try {
            r = http.send("POST", endpoint, Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    form.getBytes(StandardCharsets.UTF_8));
        } catch (CredentialsException e) {
            throw new CredentialsException(SOURCE + ": " + e.getMessage(), e.getCause());
        }
        if (r.status() != 200) {
            throw stsError(r, roleArn, endpoint);
        }
        Document doc = CredentialsDocuments.xml(r.body(), SOURCE);
        NodeList found = doc.getElementsByTagNameNS("*", "Credentials");
        if (found.getLength() == 0) {
            throw new CredentialsException(SOURCE + ": the AssumeRoleWithWebIdentity answer from " + endpoint
                    + " has no Credentials");
        }
        Element c = (Element) found.item(0);
        return CredentialsDocuments.credentials(Map.of(
                        "AccessKeyId", nullToEmpty(CredentialsDocuments.childText(c, "AccessKeyId")),
                        "SecretAccessKey", nullToEmpty(CredentialsDocuments.childText(c, "SecretAccessKey")),
                        "SessionToken", nullToEmpty(CredentialsDocuments.childText(c, "SessionToken")),
                        "Expiration", nullToEmpty(CredentialsDocuments.childText(c, "Expiration"))),
                "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", SOURCE);
    }

    private static CredentialsException stsError(CredentialsHttpClient.Response r, String roleArn, URI endpoint) {
        String code = null;
        String message = null;
        String requestId = null;
        try {
            Document doc = CredentialsDocuments.xml(r.body(), SOURCE);
            NodeList errors = doc.getElementsByTagNameNS("*", "Error");
            if (errors.getLength() > 0) {
                code = CredentialsDocuments.childText((Element) errors.item(0), "Code");
                message = CredentialsDocuments.childText((Element) errors.item(0), "Message");
            }
            requestId = CredentialsDocuments.childText(doc.getDocumentElement(), "RequestId");
        } catch (CredentialsException notXml) {
            // Not an STS error document (a proxy's page, say): the status and an excerpt say what there is.
        }
        if (code == null) {
            return new CredentialsException(SOURCE + ": AssumeRoleWithWebIdentity for " + roleArn + " at " + endpoint
                    + " answered HTTP " + r.status() + ": " + r.excerpt());
        }
        code = code.strip();
        return new CredentialsException(SOURCE + ": AssumeRoleWithWebIdentity for " + roleArn + " failed: " + code
                + (message == null ? "" : ": " + message.strip()) + " (HTTP " + r.status()
                + (requestId == null ? "" : ", request id " + requestId.strip()) + ")", code, null);
    }

    /** The STS endpoint: the override variables, else the region's endpoint, else the global one. */
    URI endpoint() {
        String override = EnvironmentCredentialsProvider.trimToNull(environment.get(ENDPOINT_URL_STS));
        String variable = ENDPOINT_URL_STS;
        if (override == null) {
            override = EnvironmentCredentialsProvider.trimToNull(environment.get(ENDPOINT_URL));
            variable = ENDPOINT_URL;
        }
        if (override != null) {
            try {
                URI uri = new URI(override);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                    throw new CredentialsException(SOURCE + ": " + variable + " must be an http or https URL, was "
                            + override);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new CredentialsException(SOURCE + ": " + variable + " is not a URL: " + override, e);
            }
        }
        String region = EnvironmentCredentialsProvider.trimToNull(environment.get(REGION));
        if (region == null) {
            region = EnvironmentCredentialsProvider.trimToNull(environment.get(DEFAULT_REGION));
        }
        if (region == null) {
            return URI.create("https://sts.amazonaws.com");
        }
        region = region.toLowerCase(Locale.ROOT);
        if (!region.matches("[a-z0-9-]+")) {
            throw new CredentialsException(SOURCE + ": not a region: " + region);
        }
        String domain = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
        return URI.create("https://sts." + region + domain);
    }

    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }


    @Override
    public String toString() {
        return "WebIdentityCredentialsProvider";
    }
}
