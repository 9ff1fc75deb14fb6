package io.runnel.wire.error;

/**
 * A KMS error on an encrypted stream; {@link #errorCode()} tells which (KMSDisabledException,
 * KMSInvalidStateException, KMSAccessDeniedException, KMSNotFoundException, KMSOptInRequired,
 * KMSThrottlingException). Only throttling is retryable.
 */
public final class KmsException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public KmsException(String errorCode, String message, int statusCode, String requestId) {
        super(errorCode, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return ErrorCodes.KMS_THROTTLING.equals(errorCode());
    }
}
