package io.runnel.wire.auth;

import io.runnel.wire.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Credentials of a named profile in the shared files the AWS CLI writes: {@code ~/.aws/credentials} (sections
 * {@code [name]}) and {@code ~/.aws/config} (sections {@code [profile name]}, or {@code [default]}). The credentials
 * file wins where both name a key. Locations follow {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE},
 * the profile {@code AWS_PROFILE} (default {@code default}); {@code #} and {@code ;} start comments.
 *
 * <p>A profile's credentials come from the first of these it sets, in the order of the AWS SDK for Java 2.x:
 * <ol>
 *   <li>{@code role_arn} with {@code web_identity_token_file}: STS {@code AssumeRoleWithWebIdentity} with the token
 *       in that file (optional {@code role_session_name}), as {@link WebIdentityCredentialsProvider} does;</li>
 *   <li>SSO: {@code sso_account_id} and {@code sso_role_name} with {@code sso_session} (naming a
 *       {@code [sso-session NAME]} section of the config file with {@code sso_start_url} and {@code sso_region}), or
 *       with {@code sso_start_url} and {@code sso_region} in the profile itself (legacy): the SSO portal's
 *       {@code GetRoleCredentials} with the token {@code aws sso login} cached in {@code ~/.aws/sso/cache} (see
 *       {@link SsoTokenProvider}; an sso-session's token is refreshed, a legacy one is not). Any {@code sso_*} key
 *       makes a profile an SSO profile, and a missing one is named. The portal and SSO-OIDC are reached at the endpoint
 *       configured for {@code SSO} and {@code SSO OIDC} (see {@link AwsEnvironment#endpointUrl(String)}) when set;</li>
 *   <li>{@code role_arn} with {@code source_profile} or {@code credential_source}: STS {@code AssumeRole} signed with
 *       the credentials of the source profile (resolved the same way, so profiles chain; a cycle is refused) or of
 *       the named source ({@code Environment}, {@code Ec2InstanceMetadata}, {@code EcsContainer}); optional
 *       {@code external_id}, {@code role_session_name} (default {@code runnel-<millis>}) and
 *       {@code duration_seconds} (900 to 43200). A profile that sets both sources, or neither, is refused (the SDK
 *       refuses both; it would silently ignore a {@code role_arn} without a source, which we think is worse);</li>
 *   <li>{@code credential_process}: the command's Version 1 JSON output (see {@link ProcessCredentialsProvider});</li>
 *   <li>{@code aws_access_key_id} and {@code aws_secret_access_key}, with {@code aws_session_token} if set.</li>
 * </ol>
 * STS is called at the endpoint configured for {@code STS} (see {@link AwsEnvironment#endpointUrl(String)}: system
 * properties, {@code AWS_ENDPOINT_URL_STS}, {@code AWS_ENDPOINT_URL}, the profile's services section and
 * {@code endpoint_url}, all of this provider's profile) when set, else at the regional
 * endpoint of the role profile's {@code region} (else {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}), else at
 * the global endpoint (signed for {@code us-east-1}). Credentials from STS, SSO and from a process with an
 * {@code Expiration} are cached and fetched again ahead of expiry. A source profile may be of any of these kinds
 * (an SSO profile as the source of a role, say).
 *
 * <p>Thread-safe; reads the files on every call (cheap, and picks up a rotated key or an edited profile: the sources
 * built for a profile are kept while what the files say of it does not change, and closed when it does).
 * {@link #close()} closes them.
 */
public final class ProfileCredentialsProvider implements CredentialsProvider {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Any of these makes a profile an SSO profile (as in the SDK v2). */
    private static final List<String> SSO_KEYS = List.of("sso_session", "sso_account_id", "sso_role_name",
            "sso_region", "sso_start_url");

    private final Path credentialsFile;
    private final Path configFile;
    private final Path ssoCacheDir;
    private final String profile;
    private final Map<String, String> environment;
    private final Clock clock;
    private final Duration processTimeout;
    private final Executor prefetchExecutor;
    private final TransportOptions options;
    private final Object lock = new Object();
    private Source currentSource; // guarded by lock
    private CredentialsProvider current; // guarded by lock
    private boolean closed; // guarded by lock

    /** The profile and files the environment names, as the AWS CLI resolves them. */
    public ProfileCredentialsProvider() {
        this(System.getenv(), Path.of(System.getProperty("user.home")), Clock.systemUTC());
    }

    /**
     * A named profile from the default files.
     *
     * @param profile the profile's name, whatever {@code AWS_PROFILE} says
     * @throws NullPointerException when {@code profile} is null
     */
    public ProfileCredentialsProvider(String profile) {
        this(defaultFile(System.getenv(), "AWS_SHARED_CREDENTIALS_FILE", Path.of(System.getProperty("user.home")),
                "credentials"), defaultFile(System.getenv(), "AWS_CONFIG_FILE",
                Path.of(System.getProperty("user.home")), "config"), profile);
    }

    ProfileCredentialsProvider(Map<String, String> env, Path home) {
        this(env, home, Clock.systemUTC());
    }

    /**
     * The profile and files the given environment names (for tests and embedding).
     *
     * @param env   environment variables ({@code AWS_PROFILE}, file locations, STS region and endpoint, and what the
     *              {@code credential_source} providers read)
     * @param home  the user's home directory
     * @param clock the clock expirations are compared with
     */
    public ProfileCredentialsProvider(Map<String, String> env, Path home, Clock clock) {
        this(env, home, clock, TransportOptions.DEFAULT);
    }

    /**
     * The profile and files the given environment names, reaching STS (for {@code role_arn} profiles) with
     * {@code options}' proxy and CA certificates.
     *
     * @param env     environment variables ({@code AWS_PROFILE}, file locations, STS region and endpoint, and what the
     *                {@code credential_source} providers read)
     * @param home    the user's home directory
     * @param clock   the clock expirations are compared with
     * @param options the proxy and extra CA certificates STS and SSO are reached with
     * @throws NullPointerException when an argument is null
     */
    public ProfileCredentialsProvider(Map<String, String> env, Path home, Clock clock, TransportOptions options) {
        this(defaultFile(env, "AWS_SHARED_CREDENTIALS_FILE", home, "credentials"),
                defaultFile(env, "AWS_CONFIG_FILE", home, "config"),
                EnvironmentCredentialsProvider.trimToNull(env.get("AWS_PROFILE")) == null ? "default"
                        : env.get("AWS_PROFILE").trim(), env, clock, ProcessCredentialsProvider.DEFAULT_TIMEOUT, null,
                ssoCache(home), options);
    }

    /**
     * A profile from explicit files; the process environment and system clock.
     *
     * @param credentialsFile the credentials file (sections {@code [name]}), or null or missing for none
     * @param configFile      the config file (sections {@code [profile name]}), or null or missing for none
     * @param profile         the profile's name
     * @throws NullPointerException when {@code profile} is null
     */
    public ProfileCredentialsProvider(Path credentialsFile, Path configFile, String profile) {
        this(credentialsFile, configFile, profile, System.getenv(), Clock.systemUTC(),
                ProcessCredentialsProvider.DEFAULT_TIMEOUT, null);
    }

    /**
     * @param processTimeout   how long a {@code credential_process} command may run
     * @param prefetchExecutor where background refreshes run; null for the refreshing providers' own threads
     */
    ProfileCredentialsProvider(Path credentialsFile, Path configFile, String profile, Map<String, String> environment,
            Clock clock, Duration processTimeout, Executor prefetchExecutor) {
        this(credentialsFile, configFile, profile, environment, clock, processTimeout, prefetchExecutor,
                ssoCache(Path.of(System.getProperty("user.home"))), TransportOptions.DEFAULT);
    }

    /** @param ssoCacheDir where {@code aws sso login} caches tokens ({@code ~/.aws/sso/cache}) */
    ProfileCredentialsProvider(Path credentialsFile, Path configFile, String profile, Map<String, String> environment,
            Clock clock, Duration processTimeout, Executor prefetchExecutor, Path ssoCacheDir) {
        this(credentialsFile, configFile, profile, environment, clock, processTimeout, prefetchExecutor, ssoCacheDir,
                TransportOptions.DEFAULT);
    }

    /**
     * @param ssoCacheDir where {@code aws sso login} caches tokens ({@code ~/.aws/sso/cache})
     * @param options     the proxy and extra CA certificates STS and SSO are reached with
     */
    ProfileCredentialsProvider(Path credentialsFile, Path configFile, String profile, Map<String, String> environment,
            Clock clock, Duration processTimeout, Executor prefetchExecutor, Path ssoCacheDir,
            TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.credentialsFile = credentialsFile;
        this.configFile = configFile;
        this.ssoCacheDir = Objects.requireNonNull(ssoCacheDir, "ssoCacheDir");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processTimeout = Objects.requireNonNull(processTimeout, "processTimeout");
        this.prefetchExecutor = prefetchExecutor;
    }

    private static Path ssoCache(Path home) {
        return home.resolve(".aws").resolve("sso").resolve("cache");
    }

    private static Path defaultFile(Map<String, String> env, String variable, Path home, String name) {
        String value = EnvironmentCredentialsProvider.trimToNull(env.get(variable));
        if (value != null) {
            return Path.of(value.startsWith("~/") ? home + value.substring(1) : value);
        }
        return home.resolve(".aws").resolve(name);
    }

    /**
     * @throws CredentialsException when the profile does not exist or sets no usable source, a profile is invalid
     *                              (both sources, a cycle, a missing source profile), or the source fails (an STS
     *                              error's code in {@link CredentialsException#errorCode()})
     */
    @Override
    public Credentials resolveCredentials() {
        Source source = source(profile, new ArrayList<>());
        CredentialsProvider p;
        CredentialsProvider old = null;
        synchronized (lock) {
            if (closed) {
                throw new CredentialsException("profile '" + profile + "': the provider is closed");
            }
            if (!source.equals(currentSource)) {
                old = current;
                // Static keys need no provider; anything else is built once and kept while the files agree.
                current = source instanceof StaticSource ? null : build(source);
                currentSource = source;
            }
            p = current;
        }
        if (old != null) {
            old.close(); // a caller still using it (the files changed meanwhile) gets an error once
        }
        return p == null ? ((StaticSource) source).credentials() : p.resolveCredentials();
    }

    // What the files say a profile's credentials come from; equal values build equal providers.
    private sealed interface Source {
    }

    private record StaticSource(Credentials credentials) implements Source {
    }

    private record ProcessSource(String profile, String command) implements Source {
    }

    private record NamedSource(String profile, String name) implements Source {
    }

    private record AssumeRoleSource(Source source, AssumeRoleCredentialsProvider.Settings settings)
            implements Source {
    }

    private record WebIdentitySource(WebIdentityCredentialsProvider.Settings settings) implements Source {
    }

    private record SsoSource(SsoCredentialsProvider.Settings settings) implements Source {
    }

    /** Where {@code name}'s credentials come from; {@code chain} holds the profiles that led here. */
    private Source source(String name, List<String> chain) {
        if (chain.contains(name)) {
            List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
            cycle.add(name);
            throw new CredentialsException("profile '" + chain.get(0) + "': source_profile cycle "
                    + String.join(" -> ", cycle));
        }
        chain.add(name);
        Map<String, String> p = properties(name);
        if (p == null) {
            if (chain.size() > 1) {
                throw new CredentialsException("profile '" + chain.get(chain.size() - 2) + "': source_profile '"
                        + name + "' is not in " + credentialsFile + " or " + configFile);
            }
            throw new CredentialsException("profile '" + name + "': no such profile (no aws_access_key_id and"
                    + " aws_secret_access_key) in " + credentialsFile + " or " + configFile);
        }
        String label = "profile '" + name + "'";
        String roleArn = value(p, "role_arn");
        String tokenFile = value(p, "web_identity_token_file");
        String sessionName = value(p, "role_session_name");
        if (roleArn != null && tokenFile != null) {
            return new WebIdentitySource(new WebIdentityCredentialsProvider.Settings(label,
                    "web_identity_token_file", tokenFile, roleArn, sessionName, stsEndpoint(p, label)));
        }
        if (SSO_KEYS.stream().anyMatch(k -> value(p, k) != null)) {
            return new SsoSource(sso(name, p, label));
        }
        if (roleArn != null) {
            String sourceProfile = value(p, "source_profile");
            String credentialSource = value(p, "credential_source");
            if (sourceProfile != null && credentialSource != null) {
                throw new CredentialsException(label + ": sets both source_profile and credential_source");
            }
            if (sourceProfile == null && credentialSource == null) {
                throw new CredentialsException(label + ": role_arn needs source_profile, credential_source or"
                        + " web_identity_token_file");
            }
            Source from = sourceProfile != null ? source(sourceProfile, chain) : named(label, credentialSource);
            String region = value(p, "region");
            if (region == null) {
                region = StsCredentials.environmentRegion(environment);
            }
            URI endpoint = StsCredentials.endpoint(endpoints(), region, label);
            String signingRegion = region == null ? StsCredentials.GLOBAL_REGION
                    : StsCredentials.checkedRegion(region, label);
            return new AssumeRoleSource(from, new AssumeRoleCredentialsProvider.Settings(label, roleArn, sessionName,
                    value(p, "external_id"), duration(p, label), endpoint, signingRegion));
        }
        String process = value(p, "credential_process");
        if (process != null) {
            return new ProcessSource(name, process);
        }
        String id = value(p, "aws_access_key_id");
        String secret = value(p, "aws_secret_access_key");
        if (id == null || secret == null) {
            throw new CredentialsException(label + ": no aws_access_key_id and aws_secret_access_key"
                    + " (nor role_arn or credential_process) in " + credentialsFile + " or " + configFile);
        }
        return new StaticSource(new Credentials(id, secret, value(p, "aws_session_token"), null));
    }

    /** The settings of an SSO profile (sso-session or legacy), every missing or conflicting key named. */
    private SsoCredentialsProvider.Settings sso(String name, Map<String, String> p, String label) {
        String account = value(p, "sso_account_id");
        String role = value(p, "sso_role_name");
        String session = value(p, "sso_session");
        String startUrl = value(p, "sso_start_url");
        String region = value(p, "sso_region");
        List<String> missing = new ArrayList<>();
        if (account == null) {
            missing.add("sso_account_id");
        }
        if (role == null) {
            missing.add("sso_role_name");
        }
        if (session != null) {
            Map<String, String> s = sectionOrNull(configFile, "sso-session " + session);
            if (s == null) {
                throw new CredentialsException(label + ": sso_session '" + session + "' has no [sso-session "
                        + session + "] section in " + configFile);
            }
            String sessionUrl = value(s, "sso_start_url");
            String sessionRegion = value(s, "sso_region");
            if (sessionUrl == null || sessionRegion == null) {
                throw new CredentialsException(label + ": [sso-session " + session + "] in " + configFile
                        + " needs sso_start_url and sso_region");
            }
            for (String[] kv : new String[][] {{"sso_start_url", startUrl, sessionUrl},
                    {"sso_region", region, sessionRegion}}) {
                if (kv[1] != null && !kv[1].equalsIgnoreCase(kv[2])) {
                    throw new CredentialsException(label + ": its " + kv[0] + " (" + kv[1]
                            + ") differs from [sso-session " + session + "]'s (" + kv[2] + ")");
                }
            }
            startUrl = sessionUrl;
            region = sessionRegion;
        } else {
            if (startUrl == null) {
                missing.add("sso_start_url");
            }
            if (region == null) {
                missing.add("sso_region");
            }
        }
        if (!missing.isEmpty()) {
            throw new CredentialsException(label + ": an SSO profile needs " + String.join(", ", missing)
                    + (session == null && (startUrl == null || region == null) ? " (or sso_session)" : ""));
        }
        String r = ServiceEndpoints.checkedRegion(region, label);
        SsoTokenProvider.Settings token = new SsoTokenProvider.Settings(label, name, session, startUrl,
                SsoTokenProvider.cacheFile(ssoCacheDir, session != null ? session : startUrl),
                session == null ? null : ServiceEndpoints.endpoint(endpoints(), "SSO OIDC", "oidc", r, label));
        return new SsoCredentialsProvider.Settings(label, account, role,
                ServiceEndpoints.endpoint(endpoints(), "SSO", "portal.sso", r, label), token);
    }

    private URI stsEndpoint(Map<String, String> p, String label) {
        String region = value(p, "region");
        return StsCredentials.endpoint(endpoints(), region != null ? region
                : StsCredentials.environmentRegion(environment), label);
    }

    /**
     * Where this provider's profile (with the services section it names) and the environment send STS, SSO and
     * SSO-OIDC requests; system properties are this process's, as the SDK reads them.
     */
    private AwsEnvironment endpoints() {
        return new AwsEnvironment(environment, System.getProperties(), configFile, profile,
                new InstanceMetadataRegion(environment));
    }

    private static NamedSource named(String label, String credentialSource) {
        switch (credentialSource) {
            case "Environment", "Ec2InstanceMetadata", "EcsContainer" -> {
                return new NamedSource(label, credentialSource);
            }
            default -> throw new CredentialsException(label + ": credential_source must be Environment,"
                    + " Ec2InstanceMetadata or EcsContainer, was " + credentialSource);
        }
    }

    private static Integer duration(Map<String, String> p, String label) {
        String d = value(p, "duration_seconds");
        if (d == null) {
            return null;
        }
        try {
            int seconds = Integer.parseInt(d);
            if (seconds >= 900 && seconds <= 43_200) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CredentialsException(label + ": duration_seconds must be a number of seconds from 900 to 43200,"
                + " was " + d);
    }

    private CredentialsProvider build(Source source) {
        if (source instanceof StaticSource s) {
            return new StaticCredentialsProvider(s.credentials());
        }
        if (source instanceof ProcessSource s) {
            return new ProcessCredentialsProvider(s.profile(), s.command(), processTimeout, clock, prefetchExecutor);
        }
        if (source instanceof NamedSource s) {
            return switch (s.name()) {
                case "Environment" -> new EnvironmentCredentialsProvider(environment);
                case "Ec2InstanceMetadata" -> new InstanceProfileCredentialsProvider(environment, clock);
                default -> new ContainerCredentialsProvider(environment, clock);
            };
        }
        if (source instanceof SsoSource s) {
            return new SsoCredentialsProvider(s.settings(), clock, CONNECT_TIMEOUT, REQUEST_TIMEOUT, prefetchExecutor,
                    options);
        }
        if (source instanceof WebIdentitySource s) {
            WebIdentityCredentialsProvider.Settings settings = s.settings();
            return new WebIdentityCredentialsProvider(() -> settings, clock, CONNECT_TIMEOUT, REQUEST_TIMEOUT,
                    prefetchExecutor, options);
        }
        AssumeRoleSource s = (AssumeRoleSource) source;
        CredentialsProvider from = build(s.source());
        try {
            return new AssumeRoleCredentialsProvider(from, s.settings(), clock, CONNECT_TIMEOUT, REQUEST_TIMEOUT,
                    prefetchExecutor, options);
        } catch (RuntimeException e) {
            from.close();
            throw e;
        }
    }

    /** The merged keys of profile {@code name}, or null when neither file has a section for it. */
    private Map<String, String> properties(String name) {
        Map<String, String> merged = new HashMap<>();
        boolean found = false;
        Map<String, String> s = sectionOrNull(configFile, name.equals("default") ? "default" : "profile " + name);
        if (s != null) {
            merged.putAll(s);
            found = true;
        }
        if (!name.equals("default")) {
            s = sectionOrNull(configFile, name);
            if (s != null) {
                merged.putAll(s);
                found = true;
            }
        }
        s = sectionOrNull(credentialsFile, name);
        if (s != null) {
            merged.putAll(s);
            found = true;
        }
        return found ? merged : null;
    }

    private static String value(Map<String, String> p, String key) {
        return EnvironmentCredentialsProvider.trimToNull(p.get(key));
    }

    /** The key/value pairs of section {@code [name]} of an INI file; empty when the file or section is missing. */
    static Map<String, String> section(Path file, String name) {
        Map<String, String> s = sectionOrNull(file, name);
        return s == null ? new HashMap<>() : s;
    }

    /**
     * The key/value pairs of section {@code [name]} of an INI file; null when the file or section is missing. A key
     * with an empty value followed by indented {@code sub = value} lines (as in a {@code [services NAME]} section:
     * {@code kinesis =} then {@code   endpoint_url = ...}) yields {@code key.sub}; other indented lines are ignored.
     */
    static Map<String, String> sectionOrNull(Path file, String name) {
        Map<String, String> out = new HashMap<>();
        boolean found = false;
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CredentialsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        boolean inSection = false;
        String parent = null; // the key whose indented sub-properties follow, or null
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                inSection = line.substring(1, line.length() - 1).strip().replaceAll("\\s+", " ").equals(name);
                found |= inSection;
                parent = null;
                continue;
            }
            int eq = line.indexOf('=');
            if (!inSection || eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = withoutComment(line.substring(eq + 1).strip());
            boolean indented = raw.startsWith(" ") || raw.startsWith("\t");
            if (!indented) {
                out.put(key, value);
                parent = value.isEmpty() ? key : null;
            } else if (parent != null) {
                out.put(parent + "." + key, value);
            }
        }
        return found ? out : null;
    }

    private static String withoutComment(String value) {
        int comment = value.indexOf(" #");
        if (comment < 0) {
            comment = value.indexOf(" ;");
        }
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }

    /** Closes the sources built for the profile (STS connections, refresh threads). */
    @Override
    public void close() {
        CredentialsProvider p;
        synchronized (lock) {
            closed = true;
            p = current;
            current = null;
            currentSource = null;
        }
        if (p != null) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "ProfileCredentialsProvider[profile=" + profile + ", " + credentialsFile + ", " + configFile + "]";
    }
}
