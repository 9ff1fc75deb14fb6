package io.runnel.wire.error;

import java.util.Map;

/**
 * An error the Kinesis service answered with: HTTP status 4xx or 5xx and a body naming the error type
 * ({@code __type}) and a message. Subclasses exist for the codes callers act on; {@link #of} picks the right one.
 * Unknown codes map to this class itself, retryable when the status is 5xx.
 *
 * <p>These are data on hot paths (a throttled PutRecord is routine), so no stack trace is filled in.
 */
public class KinesisServiceException extends KinesisException {
    private static final long serialVersionUID = 1L;

    /** The error type. */
    private final String errorCode;
    /** The HTTP status. */
    private final int statusCode;
    /** The service's request id, or null. */
    private final String requestId;

    /**
     * An error of any code; {@link #of} gives the subclass that matches a known code.
     *
     * @param errorCode  the error type, e.g. {@code ResourceNotFoundException}
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public KinesisServiceException(String errorCode, String message, int statusCode, String requestId) {
        super(message == null ? errorCode : message);
        this.errorCode = errorCode;
        this.statusCode = statusCode;
        this.requestId = requestId;
    }

    /** @return the error type, e.g. {@code ResourceNotFoundException} */
    public String errorCode() {
        return errorCode;
    }

    /** @return the HTTP status of the error response */
    public int statusCode() {
        return statusCode;
    }

    /** @return the service's request id ({@code x-amzn-RequestId}), or null */
    public String requestId() {
        return requestId;
    }

    /** Unknown errors are retryable when the service says it failed (5xx), not when it says the request did. */
    @Override
    public boolean isRetryable() {
        return statusCode >= 500;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    private interface Factory {
        KinesisServiceException create(String code, String message, int status, String requestId);
    }

    private static final Map<String, Factory> FACTORIES = Map.ofEntries(
            Map.entry(ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED,
                    (c, m, s, r) -> new ProvisionedThroughputExceededException(m, s, r)),
            Map.entry(ErrorCodes.LIMIT_EXCEEDED,
                    (c, m, s, r) -> new LimitExceededException(m, s, r)),
            Map.entry(ErrorCodes.RESOURCE_NOT_FOUND,
                    (c, m, s, r) -> new ResourceNotFoundException(m, s, r)),
            Map.entry(ErrorCodes.RESOURCE_IN_USE,
                    (c, m, s, r) -> new ResourceInUseException(m, s, r)),
            Map.entry(ErrorCodes.INVALID_ARGUMENT,
                    (c, m, s, r) -> new InvalidArgumentException(m, s, r)),
            Map.entry(ErrorCodes.EXPIRED_ITERATOR,
                    (c, m, s, r) -> new ExpiredIteratorException(m, s, r)),
            Map.entry(ErrorCodes.EXPIRED_NEXT_TOKEN,
                    (c, m, s, r) -> new ExpiredNextTokenException(m, s, r)),
            Map.entry(ErrorCodes.ACCESS_DENIED,
                    (c, m, s, r) -> new AccessDeniedException(m, s, r)),
            Map.entry(ErrorCodes.EXPIRED_TOKEN,
                    (c, m, s, r) -> new ExpiredTokenException(m, s, r)),
            Map.entry(ErrorCodes.VALIDATION,
                    (c, m, s, r) -> new ValidationException(m, s, r)),
            Map.entry(ErrorCodes.INTERNAL_FAILURE,
                    (c, m, s, r) -> new InternalFailureException(m, s, r)),
            Map.entry(ErrorCodes.SERVICE_UNAVAILABLE,
                    (c, m, s, r) -> new ServiceUnavailableException(m, s, r)),
            Map.entry(ErrorCodes.THROTTLING,
                    (c, m, s, r) -> new ThrottlingException(m, s, r)),
            Map.entry(ErrorCodes.KMS_DISABLED, KmsException::new),
            Map.entry(ErrorCodes.KMS_INVALID_STATE, KmsException::new),
            Map.entry(ErrorCodes.KMS_ACCESS_DENIED, KmsException::new),
            Map.entry(ErrorCodes.KMS_NOT_FOUND, KmsException::new),
            Map.entry(ErrorCodes.KMS_OPT_IN_REQUIRED, KmsException::new),
            Map.entry(ErrorCodes.KMS_THROTTLING, KmsException::new),
            Map.entry(ErrorCodes.UNRECOGNIZED_CLIENT, AuthenticationException::new),
            Map.entry(ErrorCodes.INCOMPLETE_SIGNATURE, AuthenticationException::new),
            Map.entry(ErrorCodes.INVALID_SIGNATURE, AuthenticationException::new),
            Map.entry(ErrorCodes.MISSING_AUTHENTICATION_TOKEN, AuthenticationException::new),
            Map.entry(ErrorCodes.INVALID_CLIENT_TOKEN_ID, AuthenticationException::new),
            Map.entry(ErrorCodes.SIGNATURE_DOES_NOT_MATCH, AuthenticationException::new));

    /**
     * The exception for an error code: the matching subclass, or this class for codes it does not know.
     *
     * @param errorCode  the error type without any namespace prefix
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the request id, or null
     * @return a new exception, not thrown
     */
    public static KinesisServiceException of(String errorCode, String message, int statusCode, String requestId) {
        Factory f = FACTORIES.get(errorCode);
        if (f == null) {
            return new KinesisServiceException(errorCode, message, statusCode, requestId);
        }
        return f.create(errorCode, message, statusCode, requestId);
    }
}
