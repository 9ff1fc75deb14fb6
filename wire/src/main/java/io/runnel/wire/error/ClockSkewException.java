package io.runnel.wire.error;

/**
 * The service refused a request for the time it was signed with (more than a few minutes from the service's clock),
 * and the client has since taken the service's time from the answer's {@code Date} header: the same request, signed
 * again, goes through. {@link #errorCode()} is the service's (for Kinesis {@code InvalidSignatureException}, "Signature
 * expired" or "Signature not yet current"). Retryable.
 */
public final class ClockSkewException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /** How far the request's signing time was from the service's clock, in milliseconds (negative: behind). */
    private final long skewMillis;

    /**
     * The exception for a refusal the client has corrected its clock for.
     *
     * @param refused    the service's answer
     * @param skewMillis the request's signing time minus the service's time, in milliseconds
     */
    public ClockSkewException(KinesisServiceException refused, long skewMillis) {
        super(refused.errorCode(), refused.getMessage() + " (signed " + Math.abs(skewMillis) / 1000 + " s "
                + (skewMillis < 0 ? "behind" : "ahead of") + " the service's clock; signing with its time from now on)",
                refused.statusCode(), refused.requestId());
        this.skewMillis = skewMillis;
    }

    /** @return the request's signing time minus the service's time, in milliseconds (negative: behind) */
    public long skewMillis() {
        return skewMillis;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
