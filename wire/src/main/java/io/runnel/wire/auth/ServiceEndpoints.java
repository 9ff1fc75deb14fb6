package io.runnel.wire.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the credential sources call AWS services (STS, the SSO portal, SSO-OIDC): the endpoint URL configured for the
 * service as {@link AwsEnvironment#endpointUrl(String)} resolves it for every service Runnel calls (system properties,
 * {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}, the profile's services section, its
 * {@code endpoint_url}), else the service's regional endpoint.
 */
final class ServiceEndpoints {
    private ServiceEndpoints() {
    }

    /**
     * The endpoint configured for a service, or null when none is.
     *
     * @param serviceId the service's SDK id ({@code STS}, {@code SSO}, {@code SSO OIDC})
     * @throws CredentialsException when the value is not an http or https URL with a host
     */
    static URI override(AwsEnvironment environment, String serviceId, String source) {
        AwsEnvironment.Setting setting = environment.endpointUrl(serviceId);
        if (setting == null) {
            return null;
        }
        String value = setting.value();
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw new CredentialsException(source + ": " + setting.source() + " must be an http or https URL, was "
                        + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CredentialsException(source + ": " + setting.source() + " is not a URL: " + value, e);
        }
    }

    /**
     * The endpoint configured for a service, else {@code https://HOST_PREFIX.REGION.amazonaws.com}
     * ({@code .amazonaws.com.cn} for {@code cn-} regions).
     *
     * @throws CredentialsException when an override is not an http(s) URL or the region is not a region name
     */
    static URI endpoint(AwsEnvironment environment, String serviceId, String hostPrefix, String region,
            String source) {
        URI override = override(environment, serviceId, source);
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
