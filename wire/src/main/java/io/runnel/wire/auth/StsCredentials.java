package io.runnel.wire.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the STS credential sources share: the endpoint (override variables, regional, global) and reading the
 * Query-protocol XML answers of {@code AssumeRole} and {@code AssumeRoleWithWebIdentity}.
 */
final class StsCredentials {
    static final String REGION = "AWS_REGION";
    static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    /** The region requests to the global endpoint are signed for. */
    static final String GLOBAL_REGION = "us-east-1";

    private StsCredentials() {
    }

    /** The region of {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, or null. */
    static String environmentRegion(Map<String, String> environment) {
        String region = EnvironmentCredentialsProvider.trimToNull(environment.get(REGION));
        return region != null ? region : EnvironmentCredentialsProvider.trimToNull(environment.get(DEFAULT_REGION));
    }

    /**
     * The STS endpoint: the one configured for {@code STS} (see {@link AwsEnvironment#endpointUrl(String)}), else
     * {@code https://sts.REGION.amazonaws.com} ({@code .amazonaws.com.cn} for {@code cn-} regions), else the global
     * {@code https://sts.amazonaws.com} when {@code region} is null.
     *
     * @throws CredentialsException when an override is not an http(s) URL or the region is not a region name
     */
    static URI endpoint(AwsEnvironment environment, String region, String source) {
        URI override = ServiceEndpoints.override(environment, "STS", source);
        if (override != null) {
            return override;
        }
        return region == null ? URI.create("https://sts.amazonaws.com")
                : ServiceEndpoints.regional("sts", region, source);
    }

    /** The region in lower case; throws when it is not made of letters, digits and dashes. */
    static String checkedRegion(String region, String source) {
        return ServiceEndpoints.checkedRegion(region, source);
    }

    static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The credentials of a successful answer, or the STS error as a {@link CredentialsException} carrying its code.
     */
    static Credentials read(CredentialsHttpClient.Response r, String action, String roleArn, URI endpoint,
            String source) {
        if (r.status() != 200) {
            throw error(r, action, roleArn, endpoint, source);
        }
        Document doc = CredentialsDocuments.xml(r.body(), source);
        NodeList found = doc.getElementsByTagNameNS("*", "Credentials");
        if (found.getLength() == 0) {
            throw new CredentialsException(source + ": the " + action + " answer from " + endpoint
                    + " has no Credentials");
        }
        Element c = (Element) found.item(0);
        return CredentialsDocuments.credentials(Map.of(
                        "AccessKeyId", nullToEmpty(CredentialsDocuments.childText(c, "AccessKeyId")),
                        "SecretAccessKey", nullToEmpty(CredentialsDocuments.childText(c, "SecretAccessKey")),
                        "SessionToken", nullToEmpty(CredentialsDocuments.childText(c, "SessionToken")),
                        "Expiration", nullToEmpty(CredentialsDocuments.childText(c, "Expiration"))),
                "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", source);
    }

    private static CredentialsException error(CredentialsHttpClient.Response r, String action, String roleArn,
            URI endpoint, String source) {
        String code = null;
        String message = null;
        String requestId = null;
        try {
            Document doc = CredentialsDocuments.xml(r.body(), source);
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
            return new CredentialsException(source + ": " + action + " for " + roleArn + " at " + endpoint
                    + " answered HTTP " + r.status() + ": " + r.excerpt());
        }
        code = code.strip();
        return new CredentialsException(source + ": " + action + " for " + roleArn + " failed: " + code
                + (message == null ? "" : ": " + message.strip()) + " (HTTP " + r.status()
                + (requestId == null ? "" : ", request id " + requestId.strip()) + ")", code, null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
