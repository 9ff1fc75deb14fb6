package io.runnel.backend.store;

/**
 * A request the store refuses, with the Kinesis error code the backend answers with (for example
 * {@code ResourceNotFoundException}) and a message in Kinesis' wording. The HTTP layer turns it into the error
 * response; the store itself knows nothing of HTTP.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A stream, shard, consumer or other resource that does not exist. */
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    /** A resource that exists but is not in a state for the request (e.g. a stream that is not ACTIVE). */
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    /** A value the request may carry but that is wrong here (Kinesis' own checks, after validation). */
    public static final String INVALID_ARGUMENT = "InvalidArgumentException";
    /** An account or call-rate limit reached. */
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    /** A shard iterator older than five minutes. */
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    /** A shard's read or write throughput exceeded. */
    public static final String PROVISIONED_THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    /** A request that breaks the service model's constraints (length, pattern, range, required member). */
    public static final String VALIDATION = "ValidationException";

    /** The Kinesis error code, serialized with the exception. */
    private final String errorCode;

    /**
     * A refusal without a stack trace (it is an answer, not a bug).
     *
     * @param errorCode the Kinesis error code, one of the constants here or another Kinesis error type
     * @param message   the message in Kinesis' wording
     */
    public StoreException(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    /** {@return the Kinesis error code ({@code __type})} */
    public String errorCode() {
        return errorCode;
    }

    static StoreException notFound(String message) {
        return new StoreException(RESOURCE_NOT_FOUND, message);
    }

    static StoreException inUse(String message) {
        return new StoreException(RESOURCE_IN_USE, message);
    }

    static StoreException invalid(String message) {
        return new StoreException(INVALID_ARGUMENT, message);
    }

    static StoreException limit(String message) {
        return new StoreException(LIMIT_EXCEEDED, message);
    }

    static StoreException validation(String message) {
        return new StoreException(VALIDATION, message);
    }
}
