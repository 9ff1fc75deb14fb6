package io.runnel.wire.error;

/**
 * A KMS error on an encrypted stream; {@link #errorCode()} tells which (KMSDisabledException,
 * KMSInvalidStateException, KMSAccessDeniedException, KMSNotFoundException, KMSOptInRequired,
 * KMSThrottlingException). Only throttling is retryable.
 */
public final class KmsException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for a KMS error answer.
     *
     * @param errorCode  which one, e.g. {@code KMSThrottlingException}
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id, or null
     */
    public KmsException(String errorCode, String message, int statusCode, String requestId) {
        super(errorCode, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return ErrorCodes.KMS_THROTTLING.equals(errorCode());
    }
}
