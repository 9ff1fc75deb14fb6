package io.runnel.backend.store;

/**
 * A request the store refuses, with the Kinesis error code the backend answers with (for example
 * {@code ResourceNotFoundException}) and a message in Kinesis' wording. The HTTP layer turns it into the error
 * response; the store itself knows nothing of HTTP.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    public static final String INVALID_ARGUMENT = "InvalidArgumentException";
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    public static final String PROVISIONED_THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    public static final String VALIDATION = "ValidationException";

    private final String errorCode;

    public StoreException(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    /** The Kinesis error code ({@code __type}). */
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
