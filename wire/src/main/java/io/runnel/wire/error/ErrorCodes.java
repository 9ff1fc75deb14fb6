package io.runnel.wire.error;

/** Kinesis error codes ({@code __type} values and PutRecords {@code ErrorCode}s). */
public final class ErrorCodes {
    /** A shard's write or read throughput was exceeded; retryable after a backoff. */
    public static final String PROVISIONED_THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    /** An account or API rate limit was exceeded, or too many streams or shards are changing. */
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    /** The stream, shard or consumer does not exist. */
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    /** The resource is not in a state that allows the action (e.g. a stream still CREATING). */
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    /** A parameter is out of range or inconsistent with the stream. */
    public static final String INVALID_ARGUMENT = "InvalidArgumentException";
    /** A shard iterator older than 5 minutes. */
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    /** A pagination token that expired. */
    public static final String EXPIRED_NEXT_TOKEN = "ExpiredNextTokenException";
    /** The credentials are not allowed to do this. */
    public static final String ACCESS_DENIED = "AccessDeniedException";
    /** The session token of temporary credentials expired. */
    public static final String EXPIRED_TOKEN = "ExpiredTokenException";
    /** A parameter breaks an API constraint (a missing required field, a length). */
    public static final String VALIDATION = "ValidationException";
    /** The request body did not parse. */
    public static final String SERIALIZATION = "SerializationException";
    /** The {@code X-Amz-Target} names no action. */
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";
    /** The {@code __type} of an internal error response. */
    public static final String INTERNAL_FAILURE = "InternalFailure";
    /** The PutRecords per-record code of an internal error. */
    public static final String INTERNAL_FAILURE_RECORD = "InternalFailure";
    /** The service is temporarily unable to answer; retryable. */
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    /** A control-plane action was called too often; retryable after a backoff. */
    public static final String THROTTLING = "ThrottlingException";
    /** The stream's KMS key is disabled. */
    public static final String KMS_DISABLED = "KMSDisabledException";
    /** The stream's KMS key is not in a state that allows its use. */
    public static final String KMS_INVALID_STATE = "KMSInvalidStateException";
    /** The caller may not use the stream's KMS key. */
    public static final String KMS_ACCESS_DENIED = "KMSAccessDeniedException";
    /** The stream's KMS key was not found. */
    public static final String KMS_NOT_FOUND = "KMSNotFoundException";
    /** The account has not subscribed to KMS. */
    public static final String KMS_OPT_IN_REQUIRED = "KMSOptInRequired";
    /** KMS throttled the request; retryable. */
    public static final String KMS_THROTTLING = "KMSThrottlingException";
    /** The access key id is not known. */
    public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
    /** The Authorization header is malformed or incomplete. */
    public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    /** The signature is not valid. */
    public static final String INVALID_SIGNATURE = "InvalidSignatureException";
    /** The request was not signed. */
    public static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
    /** The access key id or session token is not valid (STS's code). */
    public static final String INVALID_CLIENT_TOKEN_ID = "InvalidClientTokenId";
    /** The signature does not match the request (check the secret key and the clock). */
    public static final String SIGNATURE_DOES_NOT_MATCH = "SignatureDoesNotMatch";

    private ErrorCodes() {
    }
}
