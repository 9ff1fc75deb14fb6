package io.runnel.wire.error;

/** Kinesis error codes ({@code __type} values and PutRecords {@code ErrorCode}s). */
public final class ErrorCodes {
    public static final String PROVISIONED_THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    public static final String INVALID_ARGUMENT = "InvalidArgumentException";
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    public static final String EXPIRED_NEXT_TOKEN = "ExpiredNextTokenException";
    public static final String ACCESS_DENIED = "AccessDeniedException";
    public static final String EXPIRED_TOKEN = "ExpiredTokenException";
    public static final String VALIDATION = "ValidationException";
    public static final String SERIALIZATION = "SerializationException";
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";
    /** The {@code __type} of an internal error response. */
    public static final String INTERNAL_FAILURE = "InternalFailure";
    /** The PutRecords per-record code of an internal error. */
    public static final String INTERNAL_FAILURE_RECORD = "InternalFailure";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    public static final String THROTTLING = "ThrottlingException";
    public static final String KMS_DISABLED = "KMSDisabledException";
    public static final String KMS_INVALID_STATE = "KMSInvalidStateException";
    public static final String KMS_ACCESS_DENIED = "KMSAccessDeniedException";
    public static final String KMS_NOT_FOUND = "KMSNotFoundException";
    public static final String KMS_OPT_IN_REQUIRED = "KMSOptInRequired";
    public static final String KMS_THROTTLING = "KMSThrottlingException";
    public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
    public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    public static final String INVALID_SIGNATURE = "InvalidSignatureException";
    public static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
    public static final String INVALID_CLIENT_TOKEN_ID = "InvalidClientTokenId";
    public static final String SIGNATURE_DOES_NOT_MATCH = "SignatureDoesNotMatch";

    private ErrorCodes() {
    }
}
