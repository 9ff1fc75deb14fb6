package io.runnel.producer.errors;

/** addUserRecord found the buffer full (MaxBufferedBytes or the ring) and could not wait, or waited MaxBlockMs. */
public final class BufferFullException extends ProducerException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for the caller of addUserRecord.
     *
     * @param message what was full (MaxBufferedBytes, the ring, or the record's shard falling behind) and how long
     *                the caller waited
     */
    public BufferFullException(String message) {
        super(message);
    }
}
