package io.runnel.wire.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Where the credential sources call AWS services (STS, the SSO portal, SSO-OIDC): an override from the environment
 * ({@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}, as the AWS SDKs read them), else the service's
 * regional endpoint.
 */
final class ServiceEndpoints {
    static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";

    private ServiceEndpoints() {
    }

    /**
     * The override for a service, or null when neither variable is set.
     *
     * @param service the service's variable suffix ({@code STS}, {@code SSO}, {@code SSO_OIDC})
     * @throws CredentialsException when the value is not an http or https URL with a host
     */
    static URI override(Map<String, String> environment, String service, String source) {
        String variable = ENDPOINT_URL + "_" + service;
        String value = EnvironmentCredentialsProvider.trimToNull(environment.get(variable));
        if (value == null) {
            variable = ENDPOINT_URL;
            value = EnvironmentCredentialsProvider.trimToNull(environment.get(variable));
        }
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw new CredentialsException(source + ": " + variable + " must be an http or https URL, was "
                        + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CredentialsException(source + ": " + variable + " is not a URL: " + value, e);
        }
    }

    /**
     * The override for a service, else {@code https://HOST_PREFIX.REGION.amazonaws.com} ({@code .amazonaws.com.cn}
     * for {@code cn-} regions).
     *
     * @throws CredentialsException when an override is not an http(s) URL or the region is not a region name
     */
    static URI endpoint(Map<String, String> environment, String service, String hostPrefix, String region,
            String source) {
        URI override = override(environment, service, source);
        return override != null ? override : regional(hostPrefix, region, source);
    }

    /** {@code https://HOST_PREFIX.REGION.amazonaws.com} ({@code .amazonaws.com.cn} for {@code cn-} regions). */
    static URI regional(String hostPrefix, String region, String source) {
        String r = checkedRegion(region, source);
        String domain = r.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
        return URI.create("https://" + hostPrefix + "." + r + domain);
    }

    /** The region in lower case; throws when it is not made of letters, digits and dashes. */
    static String checkedRegion(String region, String source) {
        String r = region.toLowerCase(Locale.ROOT);
        if (!r.matches("[a-z0-9-]+")) {
            throw new CredentialsException(source + ": not a region: " + region);
        }
        return r;
    }
}
